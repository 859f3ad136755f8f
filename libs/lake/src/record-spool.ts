import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Mapper } from '@engagement-db/mapper';
import { IngestOptionsError, LakeError } from './errors';
import { type IngestFailure, type IngestReport, ingestDelivering } from './ingest';
import { deliveredSpoolSegments } from './ingest-manifest';
import { makeFolder, syncDirectoryAsync, unwrittenAfter } from './internal/durable-files';
import { faultPoints } from './internal/fault-points';
import { withLakeLock } from './internal/lake-lock';
import { prepareLake } from './internal/lake-layout';
import {
  type SpoolRecord,
  encodeFrames,
  isOwnerGone,
  newSegmentId,
  newSpoolOwner,
  parseSegmentFileName,
  readSegment,
  segmentFileName,
  segmentHeader,
  setOwnerOpen,
} from './internal/spool-segment';
import { storageErrorOf, writingTo } from './internal/storage-error';
import { type TableName, isTableName } from '@engagement-db/canonical-model';
import { type RawRecord, rawRecordOfBytes } from './raw-record';
import { recoverStagedIngests } from './recover-lake';

export type { SpoolRecord } from './internal/spool-segment';

/** The folder of the lake that holds the spools, one folder per table: `LAKE/_spool/<table>/`. */
export const spoolFolder = '_spool';

/**
 * Where a spool is and how its records are delivered.
 *
 * @example const options: RecordSpoolOptions = { lake, table: 'events', mapper: createMapper(), origin: 'engagementdb-events' };
 */
export interface RecordSpoolOptions {
  /** The lake folder (see `resolveLakeDirectory`). */
  readonly lake: string;
  /** The table the records are for. */
  readonly table: TableName;
  /** Maps the records when they are delivered. */
  readonly mapper: Mapper;
  /** The `origin` of the records' failure records and failures; default the table name. */
  readonly origin?: string;
  /**
   * The records one spooled record holds, as parts of its bytes; default: the record is one. A
   * record split into nothing (a blank one) is delivered whole, and fails as an empty record.
   */
  readonly split?: (data: Uint8Array) => readonly Uint8Array[];
}

/**
 * A record a delivery could not map: where it is (`origin`, `line`), why, and the id of the
 * spooled record it came from.
 *
 * @example onFailure: ({ recordId, failure }: SpoolFailure) => console.error(`${recordId}: ${failure.message}`)
 */
export interface SpoolFailure extends IngestFailure {
  readonly recordId: string;
}

/**
 * What one delivery did: how many spooled records it delivered, and the ingest that holds them.
 * `ingest.skippedAsDuplicateOf` is set when an earlier run had already committed them.
 *
 * @example const { records, ingest }: SpoolDelivery = await spool.deliver();
 */
export interface SpoolDelivery {
  readonly records: number;
  readonly ingest: IngestReport;
}

interface Segment {
  readonly id: string;
  file: string;
  records: number;
  bytes: number;
  /** Whether a committed ingest may already hold it: left by another owner, or after a failed delivery. */
  uncertain: boolean;
}

interface OpenSegment extends Segment {
  readonly handle: fs.promises.FileHandle;
  written: number;
}

interface PendingAppend {
  readonly frames: Buffer;
  readonly records: number;
  readonly bytes: number;
  resolve(): void;
  reject(error: unknown): void;
}

interface Rotation {
  readonly rotate: true;
  resolve(): void;
}

/**
 * A write-ahead spool of raw records in the lake, `LAKE/_spool/<table>/`: a record appended is on
 * the disk (fsynced) when `append` resolves, and stays there until a delivery has committed it to the
 * lake. Appends that arrive while a write is on its way to the disk share the next write and fsync
 * (group commit). `deliver` turns what is spooled into one ingest whose manifest names the segments
 * it delivered, then removes them, so a record is delivered exactly once whenever the process stops:
 * records a stopped (or killed) process left are taken over by the next spool opened on the lake.
 *
 * @example
 * const spool = await RecordSpool.open({ lake, table: 'events', mapper: createMapper() });
 * await spool.append([{ recordId: 'r1', data: Buffer.from(rawEvent), arrivalTimestamp: Date.now() }]); // durable now
 * await spool.deliver(); // in the lake now
 * await spool.close();
 */
export class RecordSpool {
  private readonly owner = newSpoolOwner();
  private segmentsCreated = 0;
  private active: OpenSegment | undefined;
  private sealed: Segment[] = [];
  private readonly queue: (PendingAppend | Rotation)[] = [];
  private writing: Promise<void> | undefined;
  private delivering: Promise<unknown> = Promise.resolve();
  private lastLine = 0;
  private closed = false;

  private constructor(
    private readonly options: RecordSpoolOptions,
    private readonly folder: string,
  ) {}

  /**
   * Opens the spool of a table: makes sure the lake can be written (a file is written, fsynced and
   * removed), and takes over the segments a stopped process left, which the next `deliver` delivers.
   *
   * @throws IngestOptionsError for an unknown table or an empty lake path.
   * @throws LakeDirectoryError when the lake cannot be written (read-only, full, not a folder).
   */
  static async open(options: RecordSpoolOptions): Promise<RecordSpool> {
    if (typeof options.lake !== 'string' || options.lake.trim() === '') {
      throw new IngestOptionsError(
        `RecordSpool.open: lake is ${JSON.stringify(options.lake)}, expected a folder path. Pass resolveLakeDirectory(flag) as lake.`,
      );
    }
    if (!isTableName(options.table)) {
      throw new IngestOptionsError(
        `RecordSpool.open: table is ${JSON.stringify(options.table)}, expected 'events' or 'conversations'. Pass one of TableName's values.`,
      );
    }
    prepareLake(options.lake);
    const folder = path.join(options.lake, spoolFolder, options.table);
    const spool = new RecordSpool(options, folder);
    const probe = path.join(folder, `.probe-${spool.owner}`);
    writingTo(probe, () => {
      makeFolder(folder);
      const fd = fs.openSync(probe, 'w');
      try {
        fs.writeSync(fd, segmentHeader);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
        fs.rmSync(probe, { force: true });
      }
    });
    setOwnerOpen(spool.owner, true);
    try {
      await spool.takeOverLeftSegments();
    } catch (error) {
      setOwnerOpen(spool.owner, false);
      throw error;
    }
    return spool;
  }

  /** Records in the spool that no delivery has committed yet. */
  get pendingRecords(): number {
    return this.segments().reduce((sum, segment) => sum + segment.records, 0);
  }

  /** Bytes of record data in the spool that no delivery has committed yet. */
  get pendingBytes(): number {
    return this.segments().reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /**
   * Appends records; resolves once they are on the disk, so they can be acknowledged. Rejects with
   * a one-line `LakeDirectoryError` when the disk refuses them (full, read-only): then none of them
   * counts as spooled, and the spool goes on in a new segment.
   */
  append(records: readonly SpoolRecord[]): Promise<void> {
    if (this.closed)
      return Promise.reject(new LakeError(`RecordSpool.append: the spool ${this.folder} is closed.`));
    if (records.length === 0) return Promise.resolve();
    const frames = encodeFrames(records);
    const bytes = records.reduce((sum, record) => sum + record.data.length, 0);
    return new Promise((resolve, reject) => {
      this.queue.push({ frames, records: records.length, bytes, resolve, reject });
      this.write();
    });
  }

  /**
   * Delivers everything spooled so far into the lake as one ingest, then removes it from the spool;
   * undefined when there was nothing to deliver. One delivery runs at a time; records appended
   * meanwhile wait for the next. When the ingest fails, every record stays in the spool and the
   * error is thrown.
   */
  deliver(onFailure?: (failure: SpoolFailure) => void): Promise<SpoolDelivery | undefined> {
    const delivery = this.delivering.then(() => this.deliverSealed(onFailure));
    this.delivering = delivery.catch(() => undefined);
    return delivery;
  }

  /**
   * Waits for the appends and the delivery in progress, then closes the spool. What is still
   * spooled stays on the disk for the next spool opened on this lake.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.delivering;
    await this.rotate();
    setOwnerOpen(this.owner, false);
  }

  private segments(): Segment[] {
    return this.active ? [...this.sealed, this.active] : this.sealed;
  }

  private async takeOverLeftSegments(): Promise<void> {
    const names = writingTo(this.folder, () => fs.readdirSync(this.folder)).sort();
    for (const name of names) {
      const parsed = parseSegmentFileName(name);
      if (!parsed || !isOwnerGone(parsed.ownerPid, parsed.owner)) continue;
      const file = path.join(this.folder, segmentFileName(parsed.id, this.owner));
      try {
        // Only one spool can rename the file away from its old name: the others find it gone.
        fs.renameSync(path.join(this.folder, name), file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw storageErrorOf(error, path.join(this.folder, name));
      }
      const segment: Segment = { id: parsed.id, file, records: 0, bytes: 0, uncertain: true };
      for await (const record of readSegment(file)) {
        segment.records += 1;
        segment.bytes += record.data.length;
      }
      this.sealed.push(segment);
    }
    this.sealed.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  private write(): void {
    this.writing ??= this.writeQueued().finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.write();
    });
  }

  /** Writes what is queued: every append up to the next rotation in one write and one fsync. */
  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const first = this.queue[0];
      if ('rotate' in first) {
        this.queue.shift();
        await this.sealActive();
        first.resolve();
        continue;
      }
      const end = this.queue.findIndex((item) => 'rotate' in item);
      const group = this.queue.splice(0, end === -1 ? this.queue.length : end) as PendingAppend[];
      let target = this.folder;
      try {
        const segment = this.active ?? (await this.openSegment());
        target = segment.file;
        faultPoints.beforeSpoolWrite?.();
        const buffers: Uint8Array[] = segment.written === 0 ? [segmentHeader] : [];
        for (const append of group) buffers.push(append.frames);
        await writeAll(segment.handle, buffers, segment.written);
        await segment.handle.datasync();
        segment.written += buffers.reduce((sum, buffer) => sum + buffer.length, 0);
        for (const append of group) {
          segment.records += append.records;
          segment.bytes += append.bytes;
        }
      } catch (error) {
        // The segment may end in a torn frame now: it takes no more appends.
        await this.sealActive().catch(() => undefined);
        const failure = storageErrorOf(error, target, 'The records were not accepted');
        for (const append of group) append.reject(failure);
        continue;
      }
      for (const append of group) append.resolve();
    }
  }

  private async openSegment(): Promise<OpenSegment> {
    const id = newSegmentId(this.owner, ++this.segmentsCreated);
    const file = path.join(this.folder, segmentFileName(id, this.owner));
    const handle = await fs.promises.open(file, 'wx');
    this.active = { id, file, handle, written: 0, records: 0, bytes: 0, uncertain: false };
    // The new name must be on the disk before a record in it is acknowledged.
    await syncDirectoryAsync(this.folder);
    return this.active;
  }

  /** Ends the segment appends go to: the next append starts a new one. */
  private rotate(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ rotate: true, resolve });
      this.write();
    });
  }

  private async sealActive(): Promise<void> {
    const segment = this.active;
    if (!segment) return;
    this.active = undefined;
    // Counted among the sealed ones at once: its records never drop out of `pendingRecords`.
    const { id, file, records, bytes, uncertain } = segment;
    if (records > 0) this.sealed.push({ id, file, records, bytes, uncertain });
    await segment.handle.close();
    if (records === 0) await fs.promises.rm(file, { force: true });
  }

  private async deliverSealed(
    onFailure?: (failure: SpoolFailure) => void,
  ): Promise<SpoolDelivery | undefined> {
    await this.rotate();
    const { lake, table } = this.options;
    const uncertain = this.sealed.filter((segment) => segment.uncertain);
    if (uncertain.length > 0) {
      // A failed delivery may have committed, or a stopped process delivered before it could remove
      // its segments: finish what is half committed, then drop what a manifest already names.
      await withLakeLock(lake, () => {
        recoverStagedIngests(lake);
        const delivered = deliveredSpoolSegments(lake, table);
        for (const segment of uncertain) {
          if (delivered.has(segment.id)) this.removeSegment(segment);
          else segment.uncertain = false;
        }
      });
    }
    const segments = [...this.sealed];
    if (segments.length === 0) return undefined;
    const recordIds = new Map<number, string>();
    let records = 0;
    try {
      const report = await ingestDelivering(
        {
          lake,
          table,
          mapper: this.options.mapper,
          records: this.rawRecordsOf(segments, recordIds, () => (records += 1)),
          deduplicate: false,
          onFailure: (failure) => onFailure?.({ ...failure, recordId: recordIds.get(failure.line) ?? '' }),
        },
        segments.map((segment) => segment.id),
      );
      for (const segment of segments) this.removeSegment(segment);
      return { records, ingest: report };
    } catch (error) {
      for (const segment of segments) segment.uncertain = true;
      throw error;
    }
  }

  private async *rawRecordsOf(
    segments: readonly Segment[],
    recordIds: Map<number, string>,
    counted: () => void,
  ): AsyncGenerator<RawRecord> {
    const origin = this.options.origin ?? this.options.table;
    for (const segment of segments) {
      for await (const record of readSegment(segment.file)) {
        counted();
        const parts = this.options.split?.(record.data) ?? [record.data];
        for (const part of parts.length > 0 ? parts : [record.data]) {
          this.lastLine += 1;
          recordIds.set(this.lastLine, record.recordId);
          yield rawRecordOfBytes(part, origin, this.lastLine, record.arrivalTimestamp);
        }
      }
    }
  }

  /** Drops a delivered segment; one that cannot be removed yet is dropped by the next delivery. */
  private removeSegment(segment: Segment): void {
    try {
      fs.rmSync(segment.file, { force: true });
    } catch {
      segment.uncertain = true;
      return;
    }
    this.sealed = this.sealed.filter((other) => other !== segment);
  }
}

async function writeAll(
  handle: fs.promises.FileHandle,
  buffers: Uint8Array[],
  position: number,
): Promise<void> {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, at);
    if (bytesWritten === 0) throw new LakeError(`RecordSpool: the disk took no bytes of a write at ${at}`);
    at += bytesWritten;
    pending = unwrittenAfter(pending, bytesWritten);
  }
}
