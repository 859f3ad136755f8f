import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TableName } from '@engagement-db/canonical-model';
import { loadCorpus, loadMixedEvents } from '@engagement-db/corpus';
import type { RawRecord } from '../src/raw-record';

/** A fresh lake folder under the system temp folder; `remove` deletes it. */
export function temporaryFolder(prefix = 'engagement-lake-'): { path: string; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** The well-formed raw events of the corpus, one compact JSON line each. */
export function mixedEventLines(): string[] {
  return loadMixedEvents();
}

/** The well-formed chatbot conversation records of the corpus, one compact JSON line each. */
export function conversationLines(): string[] {
  return loadCorpus()
    .filter((record) => record.table === TableName.conversations && record.expected !== null)
    .map((record) => JSON.stringify(JSON.parse(record.rawText)));
}

/** Lines as the raw records of one input file. */
export async function* recordsOf(
  lines: readonly string[],
  origin = 'input.jsonl',
): AsyncGenerator<RawRecord> {
  for (let i = 0; i < lines.length; i += 1) yield { text: lines[i], origin, line: i + 1 };
}

/** Every file under a folder, as `/`-separated paths relative to it, sorted. */
export function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Runs SQL on an in-memory DuckDB and returns the rows as JSON-able objects. */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The number of rows in a table's Parquet files, read the way queries read the lake. */
export async function countRows(lake: string, prefix: string): Promise<number> {
  if (filesUnder(path.join(lake, prefix)).length === 0) return 0;
  const [row] = await duckdbRows(
    `SELECT count(*) AS n FROM read_parquet('${path.join(lake, prefix)}/*/*/*/*/*.parquet')`,
  );
  return Number(row.n);
}
