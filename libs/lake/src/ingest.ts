import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { type TableName, canonicalTables, isTableName } from '@engagement-db/canonical-model';
import type { Mapper, MappingFailure } from '@engagement-db/mapper';
import { IngestOptionsError } from './errors';
import { failureRecordOf } from './failure-record';
import { type IngestManifest, findIdenticalIngest } from './ingest-manifest';
import { faultPoints } from './internal/fault-points';
import { FailureRecordWriter } from './internal/failure-record-writer';
import { newIngestId } from './internal/ingest-id';
import { withLakeLock } from './internal/lake-lock';
import { fromLakeRelative, prepareLake } from './internal/lake-layout';
import { type MappedBatch, batchMapperOf } from './internal/mapped-batch';
import { MappingPool } from './internal/mapping-pool';
import {
  type ChunkLimits,
  ParquetChunkWriter,
  ingestMemoryLimitBytes,
} from './internal/parquet-chunk-writer';
import { StagedIngest } from './internal/staged-ingest';
import { writingToAsync } from './internal/storage-error';
import { defaultMappingWorkerScript } from './mapping-worker-script';
import type { RawRecord } from './raw-record';
import { recoverStagedIngests, stagedIngestsOf } from './recover-lake';

/**
 * How far an ingest has got, reported every thousand records and at the end.
 *
 * @example onProgress: ({ records, bytes }: IngestProgress) => console.log(records, bytes)
 */
export interface IngestProgress {
  readonly records: number;
  readonly bytes: number;
}

/**
 * A record the mapper refused, with where it came from.
 *
 * @example onFailure: ({ origin, line, error }: IngestFailure) => console.error(`${origin}:${line}: ${error.message}`)
 */
export interface IngestFailure {
  readonly origin: string;
  readonly line: number;
  readonly error: MappingFailure;
}

/**
 * What to ingest, where, and how.
 *
 * @example const options: IngestOptions = { lake, table: TableName.events, mapper: createMapper(), records };
 */
export interface IngestOptions {
  /** The lake folder (see `resolveLakeDirectory`). */
  readonly lake: string;
  /** The table the records are for: how they are mapped and where their rows go. */
  readonly table: TableName;
  readonly records: AsyncIterable<RawRecord>;
  readonly mapper: Mapper;
  /** Default true: input identical to an earlier ingest into the same table is skipped. */
  readonly deduplicate?: boolean;
  /** Ingest even when identical input was ingested before. */
  readonly force?: boolean;
  readonly onProgress?: (progress: IngestProgress) => void;
  readonly onFailure?: (failure: IngestFailure) => void;
  /** Rows held before a chunk is turned into Parquet (default 500,000); bounds memory and disk use. */
  readonly chunkRows?: number;
  /**
   * Worker threads that map records while this thread hashes, orders and spools them (default 0:
   * map on the calling thread). Workers make their mapper from `mapper.settings`, so with more than
   * 0 the mapper must come from `createMapper`. Results are applied in input order, so the lake's
   * content does not depend on this number.
   */
  readonly mappingWorkers?: number;
  /** The worker script; default `defaultMappingWorkerScript()` (`mapping-worker.js` beside the running code). */
  readonly mappingWorkerScript?: string;
}

/**
 * What an ingest did. File paths are absolute.
 *
 * @example if (report.skippedAsDuplicateOf) console.log(`already ingested as ${report.skippedAsDuplicateOf}`);
 */
export interface IngestReport {
  readonly ingestId: string;
  readonly recordsRead: number;
  readonly bytesRead: number;
  readonly rowsWritten: number;
  readonly rowsByChannel: Record<string, number>;
  readonly failures: number;
  readonly errorFiles: string[];
  readonly dataFiles: string[];
  /** Set when the input was skipped: the id of the earlier ingest of identical input. */
  readonly skippedAsDuplicateOf?: string;
  /** Set when the input was skipped: when the earlier ingest was committed (ISO 8601). */
  readonly duplicateCommittedAt?: string;
}

const defaultChunkRows = 500_000;
// Spooled bytes per chunk; with DuckDB's memory limit this keeps the process well under 1 GiB.
const chunkBytes = 256 * 1024 * 1024;
const progressEvery = 1000;
// Records per batch sent to a mapping worker: large enough that messaging costs little, small
// enough that the batches in flight hold a few megabytes. A batch mapped on this thread holds the
// event loop while it is mapped, so a batch also ends at 256 KiB of record text (some 5 ms to map),
// and the event loop gets a turn after each such batch: a server ingesting goes on answering.
const batchRecords = 512;
const batchBytes = 256 << 10;
const maxMappingWorkers = 64;
// A worker holding this many batches has work queued; one more batch would only wait in line.
const behindBatches = 2;

/**
 * Streams raw records through the mapper into the lake, all or nothing: rows go to
 * `LAKE/<table>/YYYY/MM/DD/HH/*.parquet` by the hour of each row's timestamp, refused records to
 * `LAKE/errors/<table>/YYYY/MM/DD/HH/*.jsonl` by hour of arrival, and a manifest to
 * `LAKE/_ingests/<ingestId>.json`. Bad records are counted and reported, never thrown; throws
 * only for unusable options, an unusable lake folder, or a failing input iterable. The check for
 * identical input and the commit happen under the lake lock, so of two ingests of the same input
 * running at once exactly one commits and the other reports the skip.
 *
 * @example
 * const report = await ingest({
 *   lake: resolveLakeDirectory(), table: TableName.events, mapper: createMapper(),
 *   records: readJsonLines(fs.createReadStream('events.jsonl'), 'events.jsonl'),
 * });
 */
export function ingest(options: IngestOptions): Promise<IngestReport> {
  return ingestDelivering(options, undefined);
}

/**
 * `ingest`, recording in its manifest the spool segments it delivers (see `RecordSpool`), so a
 * segment is known to be in the lake once its ingest is committed.
 */
export async function ingestDelivering(
  options: IngestOptions,
  spoolSegments: readonly string[] | undefined,
): Promise<IngestReport> {
  const { limits, workers, workerScript } = checkedOptions(options);
  const { lake, table, mapper } = options;
  prepareLake(lake);
  if (stagedIngestsOf(lake).length > 0) await withLakeLock(lake, () => recoverStagedIngests(lake));

  const startedAt = new Date();
  const ingestId = newIngestId(startedAt);
  const staged = StagedIngest.begin(lake, ingestId);
  let pool: MappingPool | undefined;
  try {
    // Started first, so the workers load while DuckDB starts.
    if (workers > 0) pool = new MappingPool(workerScript, workers, { settings: mapper.settings, table });
    const instance = await DuckDBInstance.create(':memory:', {
      threads: '2',
      memory_limit: `${ingestMemoryLimitBytes / 2 ** 20}MiB`,
      preserve_insertion_order: 'false',
      temp_directory: staged.pathOf('_duckdb'),
    });
    const connection = await instance.connect();
    const rows = new ParquetChunkWriter(connection, canonicalTables[table], staged, limits);
    try {
      return await ingestRecords(options, { ingestId, startedAt, staged, rows, pool, spoolSegments });
    } catch (error) {
      await rows.abandon();
      throw error;
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  } catch (error) {
    await staged.abandon();
    throw error;
  } finally {
    await pool?.close();
  }
}

interface IngestRun {
  readonly ingestId: string;
  readonly startedAt: Date;
  readonly staged: StagedIngest;
  readonly rows: ParquetChunkWriter;
  readonly pool: MappingPool | undefined;
  readonly spoolSegments: readonly string[] | undefined;
}

/** A batch of records read, and its mapping: done on this thread, or promised by a worker. */
interface BatchInFlight {
  readonly records: RawRecord[];
  readonly mapped: Promise<MappedBatch>;
}

async function ingestRecords(options: IngestOptions, run: IngestRun): Promise<IngestReport> {
  const { lake, table, mapper } = options;
  const { ingestId, startedAt, staged, rows, pool, spoolSegments } = run;
  const failuresOut = new FailureRecordWriter(staged, table);
  const hash = createHash('sha256').update(`${table}\n`);
  const rowsByChannel: Record<string, number> = {};
  let recordsRead = 0;
  let bytesRead = 0;
  let rowsWritten = 0;
  let failures = 0;

  const mapHere = batchMapperOf(mapper, table);
  // With a core to spare, this thread maps a batch itself whenever the workers are behind: its own
  // work (reading, hashing, spooling) leaves it idle much of the time. When the workers already
  // occupy every core, it would only slow them down.
  const mainThreadHelps = (options.mappingWorkers ?? 0) + 1 <= os.availableParallelism();
  // Enough batches in flight to keep every worker busy while this thread spools; no more, so memory stays bounded.
  const maxInFlight = pool ? 2 * (options.mappingWorkers ?? 0) + 2 : 1;
  const inFlight: BatchInFlight[] = [];
  let batch: RawRecord[] = [];
  let batchText = 0;
  let batchesApplied = 0;

  /** Sends the batch to be mapped; true when it was mapped here, on this thread. */
  const send = (): boolean => {
    const texts = batch.map((record) => record.text);
    const here = !pool || (mainThreadHelps && pool.isBehind(behindBatches));
    const mapped = here ? Promise.resolve(mapHere(texts)) : (pool as MappingPool).map(texts);
    // A failure surfaces when the batch is applied; until then it must not count as unhandled.
    mapped.catch(() => undefined);
    inFlight.push({ records: batch, mapped });
    batch = [];
    batchText = 0;
    return here;
  };
  const applyOldest = async (): Promise<void> => {
    const { records, mapped } = inFlight.shift() as BatchInFlight;
    const result = await mapped;
    let failure = 0;
    for (let i = 0; i < records.length; i += 1) {
      if (result.rowCounts[i] >= 0) continue;
      const record = records[i];
      const refused = result.failures[failure++];
      failures += 1;
      failuresOut.add(
        failureRecordOf(record, refused, record.arrivalTimestamp ?? startedAt.getTime(), Date.now()),
      );
      options.onFailure?.({ origin: record.origin, line: record.line, error: refused });
    }
    await rows.add(result.text, result.rowEnds);
    rowsWritten += result.rowEnds.length;
    for (const [channel, count] of Object.entries(result.rowsByChannel))
      rowsByChannel[channel] = (rowsByChannel[channel] ?? 0) + count;
    faultPoints.afterBatchApplied?.(++batchesApplied);
  };

  for await (const record of options.records) {
    recordsRead += 1;
    const bytes = record.bytes?.length ?? Buffer.byteLength(record.text, 'utf8');
    bytesRead += bytes + 1;
    hash.update(record.bytes ?? record.text).update('\n');
    batch.push(record);
    batchText += bytes;
    if (batch.length >= batchRecords || batchText >= batchBytes) {
      const mappedHere = send();
      while (inFlight.length >= maxInFlight) await applyOldest();
      if (mappedHere) await new Promise((resolve) => setImmediate(resolve));
    }
    if (recordsRead % progressEvery === 0) options.onProgress?.({ records: recordsRead, bytes: bytesRead });
  }
  if (batch.length > 0) send();
  while (inFlight.length > 0) await applyOldest();
  options.onProgress?.({ records: recordsRead, bytes: bytesRead });

  const inputHash = `sha256:${hash.digest('hex')}`;
  await faultPoints.beforeDuplicateCheck?.();
  const deduplicate = options.deduplicate !== false && !options.force;
  // Looked for under the lake lock, so two ingests of the same input never both commit; and once
  // before converting the last chunk, which a skipped ingest does not need.
  const earlierIngest = (): IngestManifest | undefined =>
    deduplicate ? findIdenticalIngest(lake, table, inputHash) : undefined;
  let earlier = earlierIngest();
  const dataFiles = earlier ? [] : await rows.finish();
  const errorFiles = earlier ? [] : failuresOut.finish();
  earlier ??= await withLakeLock(lake, async () => {
    const found = earlierIngest();
    if (found) return found;
    faultPoints.beforeCommit?.();
    const manifest: IngestManifest = {
      ingestId,
      table,
      startedAt: startedAt.toISOString(),
      committedAt: new Date().toISOString(),
      inputHash,
      recordsRead,
      bytesRead,
      rowsWritten,
      rowsByChannel,
      failures,
      dataFiles,
      errorFiles,
      forced: options.force === true,
      ...(spoolSegments ? { spoolSegments } : {}),
    };
    await writingToAsync(staged.directory, () => staged.commit(manifest));
    return undefined;
  });
  if (earlier) {
    await rows.abandon();
    await staged.abandon();
    return {
      ingestId,
      recordsRead,
      bytesRead,
      rowsWritten: 0,
      rowsByChannel: {},
      failures: 0,
      errorFiles: [],
      dataFiles: [],
      skippedAsDuplicateOf: earlier.ingestId,
      duplicateCommittedAt: earlier.committedAt,
    };
  }
  return {
    ingestId,
    recordsRead,
    bytesRead,
    rowsWritten,
    rowsByChannel,
    failures,
    errorFiles: errorFiles.map((f) => fromLakeRelative(lake, f)),
    dataFiles: dataFiles.map((f) => fromLakeRelative(lake, f)),
  };
}

interface CheckedOptions {
  readonly limits: ChunkLimits;
  readonly workers: number;
  readonly workerScript: string;
}

function checkedOptions(options: IngestOptions): CheckedOptions {
  if (typeof options.lake !== 'string' || options.lake.trim() === '') {
    throw new IngestOptionsError(
      `ingest: lake is ${JSON.stringify(options.lake)}, expected a folder path. Pass resolveLakeDirectory(flag) as lake.`,
    );
  }
  if (!isTableName(options.table)) {
    throw new IngestOptionsError(
      `ingest: table is ${JSON.stringify(options.table)}, expected 'events' or 'conversations'. Pass one of TableName's values.`,
    );
  }
  const rows = options.chunkRows ?? defaultChunkRows;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new IngestOptionsError(
      `ingest: chunkRows is ${String(options.chunkRows)}, expected a whole number of at least 1. Leave it out for the default of ${defaultChunkRows}.`,
    );
  }
  const workers = options.mappingWorkers ?? 0;
  if (!Number.isSafeInteger(workers) || workers < 0 || workers > maxMappingWorkers) {
    throw new IngestOptionsError(
      `ingest: mappingWorkers is ${String(options.mappingWorkers)}, expected a whole number from 0 to ${maxMappingWorkers}. ` +
        'Use 0 to map on the calling thread, or about one less than the number of cores.',
    );
  }
  const workerScript = options.mappingWorkerScript ?? (workers > 0 ? defaultMappingWorkerScript() : '');
  if (workers > 0 && !fs.existsSync(workerScript)) {
    throw new IngestOptionsError(
      `ingest: mapping worker script ${workerScript} does not exist, expected the built mapping-worker.js ` +
        '(or its .ts source). Build @engagement-db/lake (or bundle @engagement-db/lake/mapping-worker beside your bundle), ' +
        'pass mappingWorkerScript, or use mappingWorkers: 0.',
    );
  }
  return { limits: { rows, bytes: chunkBytes }, workers, workerScript };
}
