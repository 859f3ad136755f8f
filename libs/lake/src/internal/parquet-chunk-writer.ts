import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type TableSchema, duckdbColumnsOf } from '@engagement-db/canonical-model';
import { ParquetWriteError } from '../errors';
import { makeFolder, unwrittenAfter } from './durable-files';
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
// Buffered rows are appended to the chunk's spool once this many bytes have gathered.
const writeThresholdBytes = 4 << 20;
// DuckDB holds rows per open hour file up to a threshold before writing them out: this many bytes
// of rows per hour, and this many hour files open at once, bound the memory a chunk takes.
const partitionBufferBytes = 8 << 20;
const maxOpenHourFiles = 8;
// The hour columns DuckDB partitions by: the UTC hour of each row's own timestamp.
const hourParts = [
  ['edb_year', '%Y'],
  ['edb_month', '%m'],
  ['edb_day', '%d'],
  ['edb_hour', '%H'],
] as const;

interface Chunk {
  readonly number: number;
  readonly spool: string;
  rows: number;
  bytes: number;
  /** The longest row, in bytes of its JSON line. */
  largestRow: number;
}

/**
 * Streams canonical rows into Parquet files by hour inside a staged ingest. Rows are spooled as
 * JSON Lines, one file per chunk; each full chunk becomes Parquet files by hour in one DuckDB
 * statement, written while the next chunk is being mapped, so memory stays bounded whatever the
 * input size and however many hours it covers.
 */
export class ParquetChunkWriter {
  private readonly selectList: string;
  private readonly columnTypes: string;
  private chunk: Chunk;
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;
  private spoolFd: number | undefined;
  private converting: Promise<void> | undefined;
  private readonly files: string[] = [];
  /** Hour folders made in the staged ingest, so each is made once. */
  private readonly hourFolders = new Set<string>();
  private memoryLimit = ingestMemoryLimitBytes;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly table: TableSchema,
    private readonly staged: StagedIngest,
    private readonly limits: ChunkLimits,
  ) {
    const storage = duckdbColumnsOf(table);
    this.columnTypes = table.columns
      .map((column, i) => `${sqlString(column.name)}: ${sqlString(storage[i].type)}`)
      .join(', ');
    this.selectList = [
      ...table.columns.map(
        (column, i) => `${sqlIdentifier(column.name)} AS ${sqlIdentifier(storage[i].name)}`,
      ),
      ...hourParts.map(([name, format]) => `strftime(epoch_ms("timestamp"), '${format}') AS ${name}`),
    ].join(', ');
    this.chunk = this.newChunk(0);
  }

  /**
   * Adds rows, already serialised: their JSON lines (newline included) back to back in `text`, each
   * ending where `rowEnds` says. Waits only when a chunk is full and the previous one is still
   * being converted.
   */
  async add(text: Uint8Array, rowEnds: readonly number[]): Promise<void> {
    let start = 0;
    let row = 0;
    while (row < rowEnds.length) {
      const first = start;
      for (; row < rowEnds.length && !this.isFull(); row += 1) {
        const end = rowEnds[row];
        if (end - start > this.chunk.largestRow) this.chunk.largestRow = end - start;
        this.chunk.rows += 1;
        this.chunk.bytes += end - start;
        start = end;
      }
      this.buffered.push(text.subarray(first, start));
      this.bufferedBytes += start - first;
      if (this.bufferedBytes >= writeThresholdBytes) this.writeBuffered();
      if (this.isFull()) await this.startConversion();
    }
  }

  /** Converts what is left and returns the lake-relative Parquet files written, in order. */
  async finish(): Promise<string[]> {
    await this.startConversion();
    await this.converting;
    return [...this.files];
  }

  /** Stops without converting what is spooled; waits for a conversion in flight, ignoring its outcome. */
  async abandon(): Promise<void> {
    this.closeSpool();
    this.buffered = [];
    this.bufferedBytes = 0;
    await this.converting?.catch(() => undefined);
  }

  private isFull(): boolean {
    return this.chunk.rows >= this.limits.rows || this.chunk.bytes >= this.limits.bytes;
  }

  private newChunk(number: number): Chunk {
    const spool = path.join(this.staged.directory, spoolFolder, `chunk-${number}.jsonl`);
    return { number, spool, rows: 0, bytes: 0, largestRow: 0 };
  }

  private writeBuffered(): void {
    const { spool } = this.chunk;
    writingTo(spool, () => {
      if (this.spoolFd === undefined) {
        makeFolder(path.dirname(spool));
        this.spoolFd = fs.openSync(spool, 'a');
      }
      writeAll(this.spoolFd, this.buffered);
    });
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  private closeSpool(): void {
    if (this.spoolFd !== undefined) fs.closeSync(this.spoolFd);
    this.spoolFd = undefined;
  }

  private startConversion(): Promise<void> | undefined {
    const full = this.chunk;
    if (full.rows === 0) return undefined;
    this.writeBuffered();
    this.closeSpool();
    this.chunk = this.newChunk(full.number + 1);
    const previous = this.converting;
    const start = async (): Promise<void> => {
      this.converting = this.convert(full);
      // Errors surface when the conversion is awaited; until then they must not count as unhandled.
      this.converting.catch(() => undefined);
    };
    return previous ? previous.then(start) : start();
  }

  private async convert(chunk: Chunk): Promise<void> {
    await this.configureFor(chunk);
    const output = path.join(this.staged.directory, spoolFolder, `chunk-${chunk.number}`);
    faultPoints.beforeParquetCopy?.(chunk.spool, chunk.number);
    await this.copyToParquet(chunk, output);
    this.files.push(...this.moveIntoHours(output));
    fs.rmSync(chunk.spool, { force: true });
    fs.rmSync(output, { recursive: true, force: true });
  }

  /**
   * Moves the files DuckDB wrote (`edb_year=2025/edb_month=03/edb_day=14/edb_hour=09/…`) to the
   * lake's layout in the staged ingest (`<table>/2025/03/14/09/part-<ingestId>-<chunk>-<n>.parquet`).
   */
  private moveIntoHours(output: string): string[] {
    const moved: string[] = [];
    for (const file of fs.readdirSync(output, { recursive: true }) as string[]) {
      const from = path.join(output, file);
      if (!fs.statSync(from).isFile()) continue;
      const folders = file.split(path.sep);
      const name = folders.pop() as string;
      const hour = folders.map((folder) => /^edb_[a-z]+=(\d+)$/.exec(folder)?.[1]);
      if (hour.length !== hourParts.length || hour.some((part) => part === undefined))
        throw new ParquetWriteError(`DuckDB wrote ${from}, expected files in hour folders only.`);
      const relative = toLakeRelative(this.table.prefix, ...(hour as string[]), name);
      const target = this.staged.pathOf(relative);
      writingTo(target, () => {
        const folder = path.dirname(target);
        if (!this.hourFolders.has(folder)) makeFolder(folder);
        this.hourFolders.add(folder);
        fs.renameSync(from, target);
      });
      moved.push(relative);
    }
    return moved.sort();
  }

  // Rows are held per open hour file up to a number of them that stays within a few megabytes for
  // the chunk's average row. DuckDB reads a JSON line whole, into buffers of about twice its size on
  // each thread: a row of many megabytes needs more than the usual memory limit, which must never
  // make the ingest fail. The limit is a ceiling, not memory taken.
  private async configureFor(chunk: Chunk): Promise<void> {
    const averageRow = chunk.bytes / chunk.rows;
    const flushRows = Math.max(
      1,
      Math.min(parquetRowGroupSize, Math.floor(partitionBufferBytes / averageRow)),
    );
    await this.connection.run(`SET partitioned_write_max_open_files = ${maxOpenHourFiles}`);
    await this.connection.run(`SET partitioned_write_flush_threshold = ${flushRows}`);
    const needed = ingestMemoryLimitBytes + 16 * chunk.largestRow;
    if (needed <= this.memoryLimit) return;
    await this.connection.run(`SET GLOBAL memory_limit = '${Math.ceil(needed / 2 ** 20)}MiB'`);
    this.memoryLimit = needed;
  }

  private async copyToParquet(chunk: Chunk, output: string): Promise<void> {
    // DuckDB refuses a JSON line longer than maximum_object_size (16 MiB unless told): a row the
    // mapper made (a record with a string of megabytes) must never make the ingest fail.
    const objectSize = Math.max(defaultMaximumObjectSize, chunk.largestRow + 1);
    const sql =
      `COPY (SELECT ${this.selectList} FROM read_json(${sqlString(chunk.spool)}, format = 'newline_delimited', ` +
      `maximum_object_size = ${objectSize}, columns = {${this.columnTypes}})) TO ${sqlString(output)} ` +
      `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${parquetRowGroupSize}, ROW_GROUP_SIZE_BYTES '${parquetRowGroupBytes}', ` +
      `PARTITION_BY (${hourParts.map(([name]) => name).join(', ')}), ` +
      `FILENAME_PATTERN ${sqlString(`part-${this.staged.ingestId}-${chunk.number}-{i}`)})`;
    try {
      await this.connection.run(sql);
    } catch (error) {
      const cause = (error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/[\s.]+$/, '');
      throw new ParquetWriteError(
        `DuckDB could not write the Parquet files of chunk ${chunk.number} of ${this.table.glueName} from ${chunk.spool}: ${cause}. ` +
          'Expected a writable lake with free disk space; check the disk and permissions, then run the ingest again.',
        { cause: error },
      );
    }
  }
}

/** Appends the texts to the file descriptor, in order, whatever the system writes at a time. */
function writeAll(fd: number, texts: readonly Uint8Array[]): void {
  let pending = unwrittenAfter(texts, 0);
  while (pending.length > 0) {
    const written = fs.writevSync(fd, pending);
    if (written === 0)
      throw new ParquetWriteError(
        'The disk took no bytes of a write to the row spool; check the disk, then run the ingest again.',
      );
    pending = unwrittenAfter(pending, written);
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
