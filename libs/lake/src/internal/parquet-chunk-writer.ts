import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type TableSchema, duckdbColumnsOf } from '@engagement-db/canonical-model';
import { ParquetWriteError } from '../errors';
import { makeFolder } from './durable-files';
import { faultPoints } from './fault-points';
import { toLakeRelative } from './lake-layout';
import type { StagedIngest } from './staged-ingest';
import { writingTo } from './storage-error';

/** Sizes that bound the memory and disk one chunk of rows may take. */
export interface ChunkLimits {
  /** Rows spooled before they are turned into Parquet. */
  readonly rows: number;
  /** Spooled bytes before they are turned into Parquet. */
  readonly bytes: number;
}

/**
 * Row groups sized for scans, as DuckDB and Athena read them best; the byte cap keeps an hour of
 * large rows (raw events are kilobytes) within DuckDB's memory limit.
 */
export const parquetRowGroupSize = 122_880;
export const parquetRowGroupBytes = '64MB';
const spoolFolder = '_spool';
/** DuckDB's memory limit in an ingest; raised for the time of a chunk with rows of many megabytes. */
export const ingestMemoryLimitBytes = 512 << 20;
// DuckDB's own maximum_object_size of read_json.
const defaultMaximumObjectSize = 16 << 20;
// Buffered spool text is appended to the hour files once this many bytes have gathered.
const writeThresholdBytes = 4 << 20;

/** Consecutive rows of one hour that lie back to back in one mapped batch's text. */
interface Piece {
  readonly text: Uint8Array;
  readonly start: number;
  end: number;
}

interface Chunk {
  readonly number: number;
  /** Spool file of each partition hour (`YYYY/MM/DD/HH`) that has rows in this chunk. */
  readonly spools: Map<string, string>;
  rows: number;
  bytes: number;
  /** The longest row, in bytes of its JSON line. */
  largestRow: number;
}

/**
 * Streams canonical rows into Parquet files by hour inside a staged ingest. Rows are spooled as
 * JSON Lines, one file per hour, in chunks; each full chunk becomes one Parquet file per hour,
 * written by DuckDB while the next chunk is being mapped, so memory stays bounded whatever the
 * input size and however many hours it covers.
 */
export class ParquetChunkWriter {
  private readonly selectList: string;
  private readonly columnTypes: string;
  private chunk: Chunk;
  private readonly buffered = new Map<string, Piece[]>();
  private bufferedBytes = 0;
  private converting: Promise<void> | undefined;
  private readonly files: string[] = [];
  private memoryLimit = ingestMemoryLimitBytes;

  constructor(
    private readonly connections: readonly DuckDBConnection[],
    private readonly table: TableSchema,
    private readonly staged: StagedIngest,
    private readonly limits: ChunkLimits,
  ) {
    const storage = duckdbColumnsOf(table);
    this.columnTypes = table.columns
      .map((column, i) => `${sqlString(column.name)}: ${sqlString(storage[i].type)}`)
      .join(', ');
    this.selectList = table.columns
      .map((column, i) => `${sqlIdentifier(column.name)} AS ${sqlIdentifier(storage[i].name)}`)
      .join(', ');
    this.chunk = { number: 0, spools: new Map(), rows: 0, bytes: 0, largestRow: 0 };
  }

  /**
   * Adds one row, already serialised: its partition hour (`YYYY/MM/DD/HH`) and its JSON line (newline
   * included) as `text[start..end)`. Returns a promise only when the caller must wait: a chunk is
   * full and the previous one is still being converted.
   */
  add(hour: string, text: Uint8Array, start: number, end: number): Promise<void> | undefined {
    const pieces = this.buffered.get(hour);
    const last = pieces?.[pieces.length - 1];
    if (last && last.text === text && last.end === start) last.end = end;
    else if (pieces) pieces.push({ text, start, end });
    else this.buffered.set(hour, [{ text, start, end }]);
    this.bufferedBytes += end - start;
    this.chunk.rows += 1;
    this.chunk.bytes += end - start;
    if (end - start > this.chunk.largestRow) this.chunk.largestRow = end - start;
    if (this.bufferedBytes >= writeThresholdBytes) this.writeBuffered();
    if (this.chunk.rows >= this.limits.rows || this.chunk.bytes >= this.limits.bytes)
      return this.startConversion();
    return undefined;
  }

  /** Converts what is left and returns the lake-relative Parquet files written, in order. */
  async finish(): Promise<string[]> {
    await this.startConversion();
    await this.converting;
    return [...this.files];
  }

  /** Stops without converting what is spooled; waits for a conversion in flight, ignoring its outcome. */
  async abandon(): Promise<void> {
    this.buffered.clear();
    this.bufferedBytes = 0;
    await this.converting?.catch(() => undefined);
  }

  private writeBuffered(): void {
    for (const [hour, pieces] of this.buffered) {
      let spool = this.chunk.spools.get(hour);
      if (!spool) {
        spool = path.join(
          this.staged.directory,
          spoolFolder,
          `chunk-${this.chunk.number}`,
          `${hour.replaceAll('/', '-')}.jsonl`,
        );
        const folder = path.dirname(spool);
        writingTo(folder, () => makeFolder(folder));
        this.chunk.spools.set(hour, spool);
      }
      const text = Buffer.concat(pieces.map((piece) => piece.text.subarray(piece.start, piece.end)));
      writingTo(spool as string, () => fs.appendFileSync(spool as string, text));
    }
    this.buffered.clear();
    this.bufferedBytes = 0;
  }

  private startConversion(): Promise<void> | undefined {
    this.writeBuffered();
    const full = this.chunk;
    if (full.rows === 0) return undefined;
    this.chunk = { number: full.number + 1, spools: new Map(), rows: 0, bytes: 0, largestRow: 0 };
    const previous = this.converting;
    const start = async (): Promise<void> => {
      this.converting = this.convert(full);
      // Errors surface when the conversion is awaited; until then they must not count as unhandled.
      this.converting.catch(() => undefined);
    };
    return previous ? previous.then(start) : start();
  }

  private async convert(chunk: Chunk): Promise<void> {
    const hours = [...chunk.spools.keys()].sort();
    await this.allowMemoryFor(chunk.largestRow);
    const written: string[] = new Array<string>(hours.length);
    let next = 0;
    let failed = false;
    // One COPY per hour on each connection at a time: small hours are dominated by per-statement
    // overhead, which overlaps well across connections.
    const worker = async (connection: DuckDBConnection): Promise<void> => {
      for (let i = next++; i < hours.length && !failed; i = next++) {
        const spool = chunk.spools.get(hours[i]) as string;
        const relative = toLakeRelative(
          this.table.prefix,
          hours[i],
          `part-${this.staged.ingestId}-${chunk.number}.parquet`,
        );
        const target = this.staged.pathOf(relative);
        try {
          writingTo(path.dirname(target), () => makeFolder(path.dirname(target)));
          faultPoints.beforeParquetCopy?.(spool, chunk.number);
          await this.copyToParquet(connection, spool, target, chunk.largestRow);
        } catch (error) {
          failed = true;
          throw error;
        }
        written[i] = relative;
        fs.rmSync(spool, { force: true });
      }
    };
    // Every connection's statement must have ended before the ingest may close the connections
    // (closing one with a statement running never returns), so a failure waits for the others.
    const outcomes = await Promise.allSettled(this.connections.map(worker));
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    this.files.push(...written);
    fs.rmSync(path.join(this.staged.directory, spoolFolder, `chunk-${chunk.number}`), {
      recursive: true,
      force: true,
    });
  }

  // DuckDB reads a JSON line whole, into buffers of about twice its size on each thread, and both
  // connections copy at once: a row of many megabytes needs more than the usual limit, which must
  // never make the ingest fail. The limit is a ceiling, not memory taken.
  private async allowMemoryFor(largestRow: number): Promise<void> {
    const needed = ingestMemoryLimitBytes + 16 * largestRow;
    if (needed <= this.memoryLimit) return;
    await this.connections[0].run(`SET GLOBAL memory_limit = '${Math.ceil(needed / 2 ** 20)}MiB'`);
    this.memoryLimit = needed;
  }

  private async copyToParquet(
    connection: DuckDBConnection,
    spool: string,
    target: string,
    largestRow: number,
  ): Promise<void> {
    // DuckDB refuses a JSON line longer than maximum_object_size (16 MiB unless told): a row the
    // mapper made (a record with a string of megabytes) must never make the ingest fail.
    const objectSize = Math.max(defaultMaximumObjectSize, largestRow + 1);
    const sql =
      `COPY (SELECT ${this.selectList} FROM read_json(${sqlString(spool)}, format = 'newline_delimited', ` +
      `maximum_object_size = ${objectSize}, columns = {${this.columnTypes}})) TO ${sqlString(target)} ` +
      `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${parquetRowGroupSize}, ROW_GROUP_SIZE_BYTES '${parquetRowGroupBytes}')`;
    try {
      await connection.run(sql);
    } catch (error) {
      const cause = (error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/[\s.]+$/, '');
      throw new ParquetWriteError(
        `DuckDB could not write ${target} for ${this.table.glueName} from ${spool}: ${cause}. ` +
          'Expected a writable lake with free disk space; check the disk and permissions, then run the ingest again.',
        { cause: error },
      );
    }
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
