import * as path from 'node:path';
import fc from 'fast-check';
import {
  type ColumnDefinition,
  type TableName,
  conversationColumns,
  eventColumns,
  storageName,
} from '@engagement-db/canonical-model';
import { type Mapper, compileTemplates, createMapper, defaultTemplateSources } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { duckdbRows, recordsOf, temporaryFolder } from './lake-test-kit';

// A row the mapper accepts must never make the writer fail. Arbitrary rows are made by a template
// that copies each column from the event's `row` field as it is, so anything the mapper lets through
// reaches the lake's real writer (JSON spool, DuckDB, Parquet); every column read back must be what
// the mapper made.

const passThroughTemplate = `{
${eventColumns
  .filter((column) => column.name !== 'eventId')
  .map((column) => `  "${column.name}": $!jsonTool.toJson($row.${column.name})`)
  .join(',\n')}
}`;
const mapper = createMapper({
  templates: compileTemplates({ ...defaultTemplateSources(), ses: passThroughTemplate }),
});

// Text as it comes: every UTF-16 unit (lone surrogates and NUL included), JSON and SQL fragments,
// text that only differs in case (map keys are lower-cased, so such keys meet).
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    'x\ud800y',
    '\udc00',
    '"}',
    "'; DROP TABLE x; --",
    '\\',
    'Key',
    'KEY',
    '__proto__',
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
// The edges of what a date can hold (±8.64e15) and of four-digit years.
const timestamp = fc.oneof(
  fc.constantFrom(
    0,
    253402300799999,
    253402300800000,
    1741964966017,
    8.64e15,
    8.64e15 + 1,
    9e15,
    -1,
    -8.64e15 - 1,
  ),
  fc.integer({ min: 0, max: 253402300799999 }),
  fc.integer({ min: -1e16, max: 1e16 }),
  fc.constantFrom('2025-03-14T15:09:26.017Z', '1741964966', '9999-12-31T23:59:59.999Z'),
);
const columnValue = (column: ColumnDefinition): fc.Arbitrary<unknown> => {
  switch (column.kind) {
    case 'string':
      return fc.option(text, { nil: undefined });
    case 'bigint':
      return timestamp;
    case 'array<string>':
      return fc.option(fc.array(text, { maxLength: 4 }), { nil: undefined });
    case 'map<string,string>':
      return fc.option(
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.double(), fc.boolean()), { maxKeys: 4 }),
        {
          nil: undefined,
        },
      );
  }
};
const rowOf = (columns: readonly ColumnDefinition[]) =>
  fc.record(Object.fromEntries(columns.map((column) => [column.name, columnValue(column)])));

const eventRecord = fc
  .tuple(
    rowOf(eventColumns.filter((column) => column.name !== 'eventId')),
    fc.constantFrom('email', 'text', 'whatsapp'),
  )
  .map(([row, channel]) => JSON.stringify({ eventType: 'Send', mail: {}, row: { ...row, channel } }));
const conversationRecord = fc
  .tuple(
    rowOf(conversationColumns),
    fc.constantFrom('text', 'whatsapp'),
    fc.constantFrom('inbound', 'outbound'),
  )
  .map(([row, channel, direction]) => JSON.stringify({ ...row, channel, direction }));

/** The rows the mapper makes of some records, keyed as the lake stores them. */
function acceptedRows(table: TableName, lines: readonly string[], using: Mapper): Record<string, unknown>[] {
  return lines.flatMap((line): Record<string, unknown>[] => {
    if (table === 'events') {
      const result = using.map('events', line);
      return result.ok ? result.value : [];
    }
    const result = using.map('conversations', line);
    return result.ok ? result.value : [];
  });
}

/** A row as DuckDB's JSON row objects give it back: bigint as text, maps as key/value entries. */
function asStored(
  row: Record<string, unknown>,
  columns: readonly ColumnDefinition[],
): Record<string, unknown> {
  return Object.fromEntries(
    columns.map((column) => {
      const value = row[column.name] ?? null;
      if (value === null) return [storageName(column.name), null];
      if (column.kind === 'bigint') return [storageName(column.name), String(value)];
      if (column.kind === 'map<string,string>')
        return [storageName(column.name), Object.entries(value).map(([key, item]) => ({ key, value: item }))];
      return [storageName(column.name), value];
    }),
  );
}

function sortedEntries(
  row: Record<string, unknown>,
  columns: readonly ColumnDefinition[],
): Record<string, unknown> {
  const copy = { ...row };
  for (const column of columns) {
    const entries = copy[storageName(column.name)];
    if (column.kind === 'map<string,string>' && Array.isArray(entries))
      copy[storageName(column.name)] = [...(entries as { key: string }[])].sort((a, b) =>
        a.key < b.key ? -1 : 1,
      );
  }
  return copy;
}

describe('the lake writes every row the mapper accepts', () => {
  it.each([
    ['events', eventRecord, eventColumns, 'events'],
    ['conversations', conversationRecord, conversationColumns, 'conversations'],
  ] as const)(
    'stores arbitrary accepted %s rows column for column',
    async (table, records, columns, prefix) => {
      await fc.assert(
        fc.asyncProperty(fc.array(records, { minLength: 1, maxLength: 12 }), async (lines) => {
          const expected = acceptedRows(table, lines, mapper).map((row) => asStored(row, columns));
          const lake = temporaryFolder();
          try {
            const report = await ingest({ lake: lake.path, table, mapper, records: recordsOf(lines) });

            expect(report.rowsWritten).toBe(expected.length);
            if (expected.length === 0) return;
            const names = columns.map((column) => `"${storageName(column.name)}"`).join(', ');
            const stored = await duckdbRows(
              `SELECT ${names} FROM read_parquet('${path.join(lake.path, prefix)}/*/*/*/*/*.parquet')`,
            );
            const order = (rows: Record<string, unknown>[]) =>
              rows
                .map((row) => sortedEntries(row, columns))
                .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
            expect(order(stored)).toEqual(order(expected));
          } finally {
            lake.remove();
          }
        }),
        { numRuns: 25 },
      );
    },
  );
});
