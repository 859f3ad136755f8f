import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Mapper, MappingFailure } from '@engagement-db/mapper';
import { IngestOptionsError } from './errors';
import { failureRecordOf } from './failure-record';
import { type IngestManifest, findIdenticalIngest } from './ingest-manifest';
import { FailureRecordWriter } from './internal/failure-record-writer';
import { newIngestId } from './internal/ingest-id';
import { fromLakeRelative, prepareLake } from './internal/lake-layout';
import { type ChunkLimits, ParquetChunkWriter } from './internal/parquet-chunk-writer';
import { StagedIngest } from './internal/staged-ingest';
import { type LakeStream, isLakeStream, tableOfStream } from './lake-stream';
import type { RawRecord } from './raw-record';
import { recoverLake } from './recover-lake';

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
 * @example onFailure: ({ origin, line, failure }: IngestFailure) => console.error(`${origin}:${line}: ${failure.message}`)
 */
export interface IngestFailure {
  readonly origin: string;
  readonly line: number;
  readonly failure: MappingFailure;
}

/**
 * What to ingest, where, and how.
 *
 * @example const options: IngestOptions = { lake, stream: 'events', mapper: createMapper(), records };
 */
export interface IngestOptions {
  /** The lake folder (see `resolveLakeDirectory`). */
  readonly lake: string;
  readonly stream: LakeStream;
  readonly records: AsyncIterable<RawRecord>;
  readonly mapper: Mapper;
  /** Default true: input identical to an earlier ingest into the same stream is skipped. */
  readonly deduplicate?: boolean;
  /** Ingest even when identical input was ingested before. */
  readonly force?: boolean;
  readonly onProgress?: (progress: IngestProgress) => void;
  readonly onFailure?: (failure: IngestFailure) => void;
  /** Rows held before a chunk is turned into Parquet (default 500,000); bounds memory and disk use. */
  readonly chunkRows?: number;
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
// Spooled text per chunk; with DuckDB's memory limit this keeps the process well under 1 GiB.
const chunkChars = 256 * 1024 * 1024;
const progressEvery = 1000;

/**
 * Streams raw records through the mapper into the lake, all or nothing: rows go to
 * `LAKE/<stream>/YYYY/MM/DD/HH/*.parquet` by the hour of each row's timestamp, refused records to
 * `LAKE/errors/<stream>/YYYY/MM/DD/HH/*.jsonl` by hour of arrival, and a manifest to
 * `LAKE/_ingests/<ingestId>.json`. Bad records are counted and reported, never thrown; throws
 * only for unusable options, an unusable lake folder, or a failing input iterable.
 *
 * @example
 * const report = await ingest({
 *   lake: resolveLakeDirectory(), stream: 'events', mapper: createMapper(),
 *   records: readJsonLines(fs.createReadStream('events.jsonl'), 'events.jsonl'),
 * });
 */
export async function ingest(options: IngestOptions): Promise<IngestReport> {
  const limits = checkedOptions(options);
  const { lake, stream, mapper } = options;
  prepareLake(lake);
  recoverLake(lake);

  const startedAt = new Date();
  const ingestId = newIngestId(startedAt);
  const staged = StagedIngest.begin(lake, ingestId);
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: '512MB',
    preserve_insertion_order: 'false',
    temp_directory: staged.pathOf('_duckdb'),
  });
  const connections = [await instance.connect(), await instance.connect()];
  const table = tableOfStream(stream);
  const rows = new ParquetChunkWriter(connections, table, staged, limits);
  try {
    const failuresOut = new FailureRecordWriter(staged, stream);
    const hash = createHash('sha256').update(`${stream}\n`);
    const rowsByChannel: Record<string, number> = {};
    let recordsRead = 0;
    let bytesRead = 0;
    let rowsWritten = 0;
    let failures = 0;

    for await (const record of options.records) {
      recordsRead += 1;
      bytesRead += Buffer.byteLength(record.text, 'utf8') + 1;
      hash.update(record.text).update('\n');
      const mapped = mapRecord(mapper, stream, record.text);
      if (mapped.ok) {
        for (const row of mapped.rows) {
          rowsByChannel[row.channel] = (rowsByChannel[row.channel] ?? 0) + 1;
          rowsWritten += 1;
          const wait = rows.add(row, row.timestamp);
          if (wait) await wait;
        }
      } else {
        failures += 1;
        const now = Date.now();
        failuresOut.add(failureRecordOf(record, mapped.failure, record.arrivalTimestamp ?? startedAt.getTime(), now));
        options.onFailure?.({ origin: record.origin, line: record.line, failure: mapped.failure });
      }
      if (recordsRead % progressEvery === 0) options.onProgress?.({ records: recordsRead, bytes: bytesRead });
    }
    options.onProgress?.({ records: recordsRead, bytes: bytesRead });

    const inputHash = `sha256:${hash.digest('hex')}`;
    const identical = options.deduplicate !== false && !options.force ? findIdenticalIngest(lake, stream, inputHash) : undefined;
    if (identical) {
      await rows.abandon();
      staged.abandon();
      return {
        ingestId,
        recordsRead,
        bytesRead,
        rowsWritten: 0,
        rowsByChannel: {},
        failures: 0,
        errorFiles: [],
        dataFiles: [],
        skippedAsDuplicateOf: identical.ingestId,
        duplicateCommittedAt: identical.committedAt,
      };
    }

    const manifest: IngestManifest = {
      ingestId,
      stream,
      startedAt: startedAt.toISOString(),
      committedAt: new Date().toISOString(),
      inputHash,
      recordsRead,
      bytesRead,
      rowsWritten,
      rowsByChannel,
      failures,
      dataFiles: await rows.finish(),
      errorFiles: failuresOut.finish(),
      forced: options.force === true,
    };
    staged.commit(manifest);
    return {
      ingestId,
      recordsRead,
      bytesRead,
      rowsWritten,
      rowsByChannel,
      failures,
      errorFiles: manifest.errorFiles.map((f) => fromLakeRelative(lake, f)),
      dataFiles: manifest.dataFiles.map((f) => fromLakeRelative(lake, f)),
    };
  } catch (error) {
    await rows.abandon();
    staged.abandon();
    throw error;
  } finally {
    for (const connection of connections) connection.closeSync();
    instance.closeSync();
  }
}

type MappedRecord =
  | { ok: true; rows: readonly { readonly channel: string; readonly timestamp: number }[] }
  | { ok: false; failure: MappingFailure };

function mapRecord(mapper: Mapper, stream: LakeStream, text: string): MappedRecord {
  if (stream === 'events') {
    const result = mapper.mapEvent(text);
    return result.ok ? { ok: true, rows: result.events } : result;
  }
  const result = mapper.mapConversation(text);
  return result.ok ? { ok: true, rows: [result.conversation] } : result;
}

function checkedOptions(options: IngestOptions): ChunkLimits {
  if (typeof options.lake !== 'string' || options.lake.trim() === '') {
    throw new IngestOptionsError(
      `ingest: lake is ${JSON.stringify(options.lake)}, expected a folder path. Pass resolveLakeDirectory(flag) as lake.`,
    );
  }
  if (!isLakeStream(options.stream)) {
    throw new IngestOptionsError(
      `ingest: stream is ${JSON.stringify(options.stream)}, expected 'events' or 'conversations'. Pass one of LakeStream's values.`,
    );
  }
  const rows = options.chunkRows ?? defaultChunkRows;
  if (!Number.isSafeInteger(rows) || rows < 1) {
    throw new IngestOptionsError(
      `ingest: chunkRows is ${String(options.chunkRows)}, expected a whole number of at least 1. Leave it out for the default of ${defaultChunkRows}.`,
    );
  }
  return { rows, chars: chunkChars };
}
