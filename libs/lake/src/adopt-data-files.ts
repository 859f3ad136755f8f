import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type TableName, canonicalTables, duckdbColumnsOf } from '@engagement-db/canonical-model';
import { CommittedDataFiles, type UnlistedDataFile } from './committed-data-files';
import type { IngestManifest } from './ingest-manifest';
import { writeFileAtomicallyAsync } from './internal/durable-files';
import { newIngestId } from './internal/ingest-id';
import { withLakeLock } from './internal/lake-lock';
import { fromLakeRelative, ingestsFolder, prepareLake } from './internal/lake-layout';
import { writingToAsync } from './internal/storage-error';
import { recoverStagedIngests, stagedIngestsOf } from './recover-lake';

/**
 * What `adoptDataFiles` did.
 *
 * @example report.adopted.map((m) => `${m.table}: ${m.dataFiles.length} files, ${m.rowsWritten} rows`)
 */
export interface AdoptionReport {
  /** The manifest filed for each table that had files to adopt. */
  readonly adopted: IngestManifest[];
  /** The files left out, with why: not Parquet, or columns the table does not have. */
  readonly refused: (UnlistedDataFile & { readonly reason: string })[];
}

/**
 * Makes the data files that no committed ingest lists (copied into the hour folders by hand, from
 * another lake or from the S3 bucket; see `CommittedDataFiles.unlisted`) part of the lake, so
 * queries read them: each table's readable files are listed in one new manifest (`adopted: true`,
 * no records read). A file is adopted only when DuckDB reads it as Parquet with every column of the
 * table and its type; others are refused with the reason and stay unread. Runs under the lake lock,
 * after finishing any interrupted commit (whose files are its own, not to be adopted).
 *
 * @throws LakeDirectoryError when the lake cannot be written; LakeLockError as `ingest` does.
 * @example const { adopted, refused } = await adoptDataFiles('./engagement-lake');
 */
export async function adoptDataFiles(lake: string): Promise<AdoptionReport> {
  prepareLake(lake);
  return withLakeLock(lake, async () => {
    if (stagedIngestsOf(lake).length > 0) recoverStagedIngests(lake);
    const unlisted = new CommittedDataFiles(lake).unlisted();
    if (unlisted.length === 0) return { adopted: [], refused: [] };
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    const adopted: IngestManifest[] = [];
    const refused: AdoptionReport['refused'][number][] = [];
    try {
      for (const table of Object.values(canonicalTables)) {
        const files = unlisted.filter((file) => file.table === table.name);
        const accepted: { path: string; rowsByChannel: Record<string, number> }[] = [];
        for (const file of files) {
          const checked = await checkDataFile(connection, lake, file);
          if (typeof checked === 'string') refused.push({ ...file, reason: checked });
          else accepted.push({ path: file.path, rowsByChannel: checked });
        }
        if (accepted.length > 0) adopted.push(await fileAdoption(lake, table.name, accepted));
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    return { adopted, refused };
  });
}

type Connection = Awaited<ReturnType<DuckDBInstance['connect']>>;

/** The rows of a file by channel, or why it cannot be part of the table. */
async function checkDataFile(
  connection: Connection,
  lake: string,
  file: UnlistedDataFile,
): Promise<Record<string, number> | string> {
  // Readers are given the files as lines of text.
  if (/[\r\n]/.test(file.path)) return 'its name holds a line break';
  const source = `read_parquet('${fromLakeRelative(lake, file.path).replaceAll("'", "''")}')`;
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    const types = new Map(
      (described.getRowObjectsJson() as { column_name: string; column_type: string }[]).map((c) => [
        c.column_name.toLowerCase(),
        c.column_type,
      ]),
    );
    for (const column of duckdbColumnsOf(canonicalTables[file.table])) {
      const type = types.get(column.name.toLowerCase());
      if (type === undefined) return `it has no column ${column.name}`;
      if (type !== column.type) return `its column ${column.name} is ${type}, expected ${column.type}`;
    }
    const counted = await connection.runAndReadAll(
      `SELECT channel, count(*)::BIGINT AS n FROM ${source} GROUP BY channel`,
    );
    const rowsByChannel: Record<string, number> = {};
    for (const { channel, n } of counted.getRowObjectsJson() as { channel: string | null; n: string }[])
      rowsByChannel[channel ?? 'null'] = Number(n);
    return rowsByChannel;
  } catch (error) {
    return `DuckDB cannot read it as Parquet (${(error as Error).message.split('\n')[0]})`;
  }
}

async function fileAdoption(
  lake: string,
  table: TableName,
  files: readonly { path: string; rowsByChannel: Record<string, number> }[],
): Promise<IngestManifest> {
  const now = new Date();
  const hash = createHash('sha256').update(`${table}\nadopted\n`);
  const rowsByChannel: Record<string, number> = {};
  for (const file of files) {
    hash.update(`${file.path}\n${fs.statSync(fromLakeRelative(lake, file.path)).size}\n`);
    for (const [channel, rows] of Object.entries(file.rowsByChannel))
      rowsByChannel[channel] = (rowsByChannel[channel] ?? 0) + rows;
  }
  const manifest: IngestManifest = {
    ingestId: newIngestId(now),
    table,
    startedAt: now.toISOString(),
    committedAt: now.toISOString(),
    inputHash: `sha256:${hash.digest('hex')}`,
    recordsRead: 0,
    bytesRead: 0,
    rowsWritten: Object.values(rowsByChannel).reduce((sum, rows) => sum + rows, 0),
    rowsByChannel,
    failures: 0,
    dataFiles: files.map((file) => file.path),
    errorFiles: [],
    forced: false,
    adopted: true,
  };
  const target = path.join(lake, ingestsFolder, `${manifest.ingestId}.json`);
  await writingToAsync(target, () =>
    writeFileAtomicallyAsync(target, JSON.stringify(manifest, null, 2) + '\n'),
  );
  return manifest;
}
