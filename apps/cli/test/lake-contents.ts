import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FailureRecord } from '@engagement-db/lake';

/** What a lake holds for one table, read straight from its files (not through the query engine). */
export interface LakeContents {
  readonly rows: number;
  readonly rowsByChannel: Record<string, number>;
  /** Every failure record under `errors/<table>/`, in file and line order. */
  readonly failures: FailureRecord[];
}

/**
 * The rows (every Parquet file under `<lake>/<table>/`) and failure records of a table of a lake.
 *
 * @example expect((await lakeContents(lake, 'events')).rows).toBe(12);
 */
export async function lakeContents(lake: string, table: string): Promise<LakeContents> {
  const files = filesUnder(path.join(lake, table)).filter((file) => file.endsWith('.parquet'));
  const rowsByChannel: Record<string, number> = {};
  if (files.length > 0) {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const list = files.map((file) => `'${file.replaceAll("'", "''")}'`).join(', ');
      const reader = await connection.runAndReadAll(
        `SELECT channel, count(*)::INTEGER AS n FROM read_parquet([${list}]) GROUP BY channel`,
      );
      for (const { channel, n } of reader.getRowObjectsJson() as { channel: string; n: number }[])
        rowsByChannel[channel] = n;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
  const failures = filesUnder(path.join(lake, 'errors', table))
    .filter((file) => file.endsWith('.jsonl'))
    .flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as FailureRecord),
    );
  const rows = Object.values(rowsByChannel).reduce((sum, n) => sum + n, 0);
  return { rows, rowsByChannel, failures };
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((name) => path.join(folder, name))
    .filter((file) => fs.statSync(file).isFile());
}
