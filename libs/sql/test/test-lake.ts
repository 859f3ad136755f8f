import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  type CanonicalConversation,
  type CanonicalEvent,
  type TableSchema,
  conversationTable,
  duckdbColumnsOf,
  eventTable,
  partitionPathOf,
  storageName,
} from '@engagement-db/canonical-model';

/** A fresh folder under the system temp folder; remove it with {@link removeTempFolder}. */
export function makeTempFolder(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `engagement-db-sql-${label}-`));
}

export function removeTempFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}

/** A canonical event with every column present; the given fields override the defaults. */
export function canonicalEvent(
  fields: Partial<CanonicalEvent> & Pick<CanonicalEvent, 'timestamp'>,
): CanonicalEvent {
  return {
    accountId: '111122223333',
    organizationId: null,
    sendingId: null,
    sendingAddress: null,
    destinationAddress: null,
    channel: 'text',
    type: null,
    status: null,
    statusCode: null,
    statusMessage: null,
    rawStatus: null,
    isoCountryCode: null,
    messageId: null,
    tags: null,
    channelData: null,
    rawEvent: '{}',
    eventId: `event-${fields.timestamp}-${Math.random().toString(36).slice(2)}`,
    ...fields,
  };
}

/** A conversation record with every column present; the given fields override the defaults. */
export function canonicalConversation(
  fields: Partial<CanonicalConversation> & Pick<CanonicalConversation, 'timestamp'>,
): CanonicalConversation {
  return {
    accountId: '111122223333',
    organizationId: null,
    messageId: null,
    sendingAddress: null,
    destinationAddress: null,
    channel: 'text',
    direction: 'inbound',
    knowledgeBaseId: null,
    sessionId: null,
    source: null,
    message: null,
    tags: null,
    ...fields,
  };
}

/**
 * Writes rows into a lake the way the AWS bucket lays them out: one Parquet file per UTC hour of the
 * row's own timestamp, `<lake>/<prefix>/YYYY/MM/DD/HH/<fileName>`, written by DuckDB.
 */
export async function writeLake(
  lake: string,
  rows: { events?: readonly CanonicalEvent[]; conversations?: readonly CanonicalConversation[] },
  fileName = 'part-0.parquet',
): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const written: string[] = [];
  try {
    const tables: [TableSchema, readonly Record<string, unknown>[]][] = [
      [eventTable, rows.events ?? []],
      [conversationTable, rows.conversations ?? []],
    ];
    for (const [table, tableRows] of tables) {
      const byHour = new Map<string, Record<string, unknown>[]>();
      for (const row of tableRows) {
        const hour = partitionPathOf(row.timestamp as number);
        byHour.set(hour, [...(byHour.get(hour) ?? []), row]);
      }
      for (const [hour, hourRows] of byHour) {
        const folder = path.join(lake, table.prefix, hour);
        fs.mkdirSync(folder, { recursive: true });
        const jsonLines = path.join(folder, '.rows.jsonl');
        fs.writeFileSync(jsonLines, hourRows.map((row) => JSON.stringify(storedRow(row))).join('\n'));
        const columns = duckdbColumnsOf(table)
          .map((c) => `${c.name}: '${c.type}'`)
          .join(', ');
        const target = path.join(folder, fileName);
        await connection.run(
          `COPY (SELECT * FROM read_json('${jsonLines}', format = 'newline_delimited', columns = {${columns}})) TO '${target}' (FORMAT parquet)`,
        );
        fs.rmSync(jsonLines);
        written.push(target);
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return written;
}

function storedRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [storageName(key), value]));
}
