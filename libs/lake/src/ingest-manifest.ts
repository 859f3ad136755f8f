import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TableName, isTableName } from '@engagement-db/canonical-model';
import { ingestsFolder } from './internal/lake-layout';

/**
 * The record of one committed ingest, stored as `LAKE/_ingests/<ingestId>.json`.
 *
 * @example listIngests(lake).map((m: IngestManifest) => `${m.ingestId}: ${m.rowsWritten} rows`)
 */
export interface IngestManifest {
  readonly ingestId: string;
  readonly table: TableName;
  readonly startedAt: string;
  readonly committedAt: string;
  /** `sha256:` and the hex digest of the table name and every input record, each followed by a newline. */
  readonly inputHash: string;
  readonly recordsRead: number;
  readonly bytesRead: number;
  readonly rowsWritten: number;
  readonly rowsByChannel: Readonly<Record<string, number>>;
  readonly failures: number;
  /** Lake-relative Parquet files, `/`-separated. */
  readonly dataFiles: readonly string[];
  /** Lake-relative error JSON Lines files, `/`-separated. */
  readonly errorFiles: readonly string[];
  /** Whether the ingest was forced past an identical earlier one. */
  readonly forced: boolean;
  /** The spool segments this ingest delivered (see `RecordSpool`), so they are never delivered twice. */
  readonly spoolSegments?: readonly string[];
  /** Set when the data files were copied into the lake by hand and adopted (`adoptDataFiles`): no records were read. */
  readonly adopted?: boolean;
}

/**
 * Every committed ingest of a lake, oldest first. Unreadable manifests are left out.
 *
 * @example listIngests('./engagement-lake').map((m) => m.ingestId)
 */
export function listIngests(lake: string): IngestManifest[] {
  const folder = path.join(lake, ingestsFolder);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort()
    .map((name) => readManifest(path.join(folder, name)))
    .filter((manifest): manifest is IngestManifest => manifest !== undefined);
}

/** The earliest committed ingest of the same input into the same table, if any. */
export function findIdenticalIngest(
  lake: string,
  table: TableName,
  inputHash: string,
): IngestManifest | undefined {
  return listIngests(lake).find((m) => m.table === table && m.inputHash === inputHash);
}

/** The spool segments that committed ingests of a table delivered. */
export function deliveredSpoolSegments(lake: string, table: TableName): Set<string> {
  return new Set(
    listIngests(lake)
      .filter((m) => m.table === table)
      .flatMap((m) => m.spoolSegments ?? []),
  );
}

/** Reads a manifest file; undefined when it is missing or not a manifest. */
export function readManifest(file: string): IngestManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  // Manifests written before the tables had one name each call the table `stream`.
  const { stream, ...fields } = (parsed ?? {}) as Record<string, unknown>;
  const manifest = { table: stream, ...fields };
  return isManifest(manifest) ? manifest : undefined;
}

function isManifest(value: unknown): value is IngestManifest {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.ingestId === 'string' &&
    isTableName(m.table) &&
    typeof m.inputHash === 'string' &&
    typeof m.committedAt === 'string' &&
    Array.isArray(m.dataFiles) &&
    m.dataFiles.every((f) => typeof f === 'string') &&
    Array.isArray(m.errorFiles) &&
    m.errorFiles.every((f) => typeof f === 'string')
  );
}
