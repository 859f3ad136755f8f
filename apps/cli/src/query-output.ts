import type { QueryColumn } from '@engagement-db/sql';

/** How query results are printed. */
export const QueryOutputFormat = {
  table: 'table',
  json: 'json',
  csv: 'csv',
} as const;
export type QueryOutputFormat = (typeof QueryOutputFormat)[keyof typeof QueryOutputFormat];

/**
 * Query rows as text in a format: JSON Lines, CSV (RFC 4180), or an aligned table with a header, a
 * rule, numbers right-aligned and the row count (what `query` shows on a terminal, and `demo`).
 *
 * @example formatRows('csv', [{ name: 'n', type: 'bigint' }], [{ n: 3 }]) // 'n\r\n3\r\n'
 */
export function formatRows(
  format: QueryOutputFormat,
  columns: readonly QueryColumn[],
  rows: readonly Record<string, unknown>[],
): string {
  switch (format) {
    case QueryOutputFormat.json:
      return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    case QueryOutputFormat.csv:
      return [columns.map((c) => c.name), ...rows.map((row) => columns.map((c) => cellText(row[c.name], '')))]
        .map((fields) => `${fields.map(csvField).join(',')}\r\n`)
        .join('');
    case QueryOutputFormat.table:
      return alignedTable(columns, rows);
  }
}

function cellText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function alignedTable(columns: readonly QueryColumn[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(row[c.name], 'NULL').replace(/\r?\n/g, '\\n')));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((line) => line[i].length)));
  const numeric = columns.map((c) => /^(tinyint|smallint|integer|bigint|real|double|decimal)/.test(c.type));
  const line = (fields: readonly string[]) =>
    fields
      .map((field, i) => (numeric[i] ? field.padStart(widths[i]) : field.padEnd(widths[i])))
      .join(' | ')
      .trimEnd();
  const header = line(columns.map((c) => c.name));
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  return [header, rule, ...cells.map(line), count].map((text) => `${text}\n`).join('');
}
