import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import type { TableName } from '@engagement-db/canonical-model';
import type { FailureRecord } from '@engagement-db/lake';

/** What a lake holds for one table, read straight from its files (not through the query engine). */
export interface LakeContents {
  readonly rows: number;
  readonly rowsByChannel: Record<string, number>;
  /** Each row's key ({@link rowKeyOf}), sorted. */
  readonly rowKeys: string[];
  /** Every failure record under `errors/<table>/`, in file and line order. */
  readonly failures: FailureRecord[];
}

/**
 * What tells rows apart: the event id of an event, the message id and time of a conversation record.
 *
 * @example rowKeyOf({ eventId: 'e-1' }) // 'e-1'
 */
export function rowKeyOf(row: { eventId?: string; messageId?: string | null; timestamp?: number }): string {
  return row.eventId ?? `${row.messageId ?? ''}|${row.timestamp}`;
}

const rowKeySql = {
  events: 'eventid',
  conversations: "coalesce(messageid, '') || '|' || CAST(timestamp AS VARCHAR)",
} as const;

/**
 * The rows (every Parquet file under `<lake>/<table>/`) and failure records of a table of a lake.
 *
 * @example expect((await lakeContents(lake, 'events')).rows).toBe(12);
 */
export async function lakeContents(lake: string, table: TableName): Promise<LakeContents> {
  const files = filesUnder(path.join(lake, table)).filter((file) => file.endsWith('.parquet'));
  const rowsByChannel: Record<string, number> = {};
  const rowKeys: string[] = [];
  if (files.length > 0) {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
      const reader = await connection.runAndReadAll(
        `SELECT channel, ${rowKeySql[table]} AS key FROM read_parquet([${list}])`,
      );
      for (const [channel, key] of reader.getRows() as [string, string][]) {
        rowsByChannel[channel] = (rowsByChannel[channel] ?? 0) + 1;
        rowKeys.push(key);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
  rowKeys.sort();
  // Read line by line: the errors of a large input can be more than a string holds.
  const failures: FailureRecord[] = [];
  for (const file of filesUnder(path.join(lake, 'errors', table)).filter((f) => f.endsWith('.jsonl')))
    for await (const line of readline.createInterface({
      input: fs.createReadStream(file),
      crlfDelay: Infinity,
    }))
      if (line !== '') failures.push(JSON.parse(line) as FailureRecord);
  const rows = Object.values(rowsByChannel).reduce((sum, n) => sum + n, 0);
  return { rows, rowsByChannel, rowKeys, failures };
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => path.join(folder, name))
    .filter((file) => fs.statSync(file).isFile());
}
