/**
 * Query rows as an aligned text table: a header, a rule, one line per row; numbers right-aligned.
 *
 * @example resultTable(['channel', 'rows'], [{ channel: 'email', rows: 3 }])
 */
export function resultTable(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const numeric = columns.map((column) => rows.length > 0 && rows.every((row) => isNumeric(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)));
  const lineOf = (values: readonly string[]): string =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return (
    [lineOf(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(lineOf)].join('\n') + '\n'
  );
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isNumeric(value: unknown): boolean {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
  );
}
