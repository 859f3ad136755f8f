import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { crc32 } from 'node:zlib';
import { LakeError } from '../errors';
import { isProcessAlive } from './ingest-id';

/**
 * The first bytes of every spool segment: the format and its version. A segment whose first write
 * was torn by a crash has no complete header and holds no acknowledged record.
 */
export const segmentHeader = Buffer.from('EDBSPOOL1\n', 'latin1');
const frameHead = 8; // payload length, CRC-32 of the payload
const payloadHead = 9; // arrival time (float64), record id length (uint8)
/** A spooled record's data is at most this long; Firehose's own limit is 1,000 KiB. */
export const maxSpooledRecordBytes = 16 << 20;
const maxRecordIdBytes = 255;
const readChunkBytes = 1 << 20;
const segmentSuffix = '.spool';

/**
 * One record accepted into a spool: its id, its bytes exactly as they arrived, and when.
 *
 * @example const record: SpoolRecord = { recordId: '49f1…', data: Buffer.from('{"eventType":"Send"}'), arrivalTimestamp: Date.now() };
 */
export interface SpoolRecord {
  readonly recordId: string;
  readonly data: Uint8Array;
  /** Epoch milliseconds the record was accepted. */
  readonly arrivalTimestamp: number;
}

/**
 * Frames of the records, back to back: per record `uint32 length | uint32 CRC-32 | payload`, the
 * payload being `float64 arrivalTimestamp | uint8 idLength | recordId (ASCII) | data`, little-endian.
 */
export function encodeFrames(records: readonly SpoolRecord[]): Buffer {
  let total = 0;
  for (const record of records) {
    checkRecord(record);
    total += frameHead + payloadHead + record.recordId.length + record.data.length;
  }
  const frames = Buffer.allocUnsafe(total);
  let at = 0;
  for (const { recordId, data, arrivalTimestamp } of records) {
    const payloadLength = payloadHead + recordId.length + data.length;
    const payload = at + frameHead;
    frames.writeDoubleLE(arrivalTimestamp, payload);
    frames.writeUInt8(recordId.length, payload + 8);
    frames.write(recordId, payload + payloadHead, 'latin1');
    frames.set(data, payload + payloadHead + recordId.length);
    frames.writeUInt32LE(payloadLength, at);
    frames.writeUInt32LE(crc32(frames.subarray(payload, payload + payloadLength)), at + 4);
    at = payload + payloadLength;
  }
  return frames;
}

function checkRecord({ recordId, data, arrivalTimestamp }: SpoolRecord): void {
  const problem =
    !/^[\x21-\x7e]{1,255}$/.test(recordId) || recordId.length > maxRecordIdBytes
      ? `recordId ${JSON.stringify(recordId).slice(0, 80)}, expected 1 to 255 printable ASCII characters`
      : data.length > maxSpooledRecordBytes
        ? `a record of ${data.length} bytes, expected at most ${maxSpooledRecordBytes}`
        : !Number.isFinite(arrivalTimestamp)
          ? `arrivalTimestamp ${arrivalTimestamp}, expected epoch milliseconds`
          : undefined;
  if (problem) {
    throw new LakeError(
      `RecordSpool.append: got ${problem}. Check records before appending them (serve enforces Firehose's limits first).`,
    );
  }
}

/**
 * The records of a segment file in the order they were written, up to its first incomplete or
 * damaged frame: the tail a crash (or a failed write, after which the segment takes no more) can
 * leave, never an acknowledged record. Reads a megabyte at a time.
 */
export async function* readSegment(file: string): AsyncGenerator<SpoolRecord> {
  const handle = await fs.promises.open(file, 'r');
  try {
    let buffer = Buffer.alloc(0);
    let position = 0;
    let ended = false;
    const have = async (bytes: number): Promise<boolean> => {
      while (buffer.length < bytes && !ended) {
        const chunk = Buffer.allocUnsafe(Math.max(readChunkBytes, bytes - buffer.length));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        position += bytesRead;
        ended = bytesRead === 0;
        buffer =
          buffer.length === 0
            ? chunk.subarray(0, bytesRead)
            : Buffer.concat([buffer, chunk.subarray(0, bytesRead)]);
      }
      return buffer.length >= bytes;
    };
    if (
      !(await have(segmentHeader.length)) ||
      !buffer.subarray(0, segmentHeader.length).equals(segmentHeader)
    )
      return;
    buffer = buffer.subarray(segmentHeader.length);
    for (;;) {
      if (!(await have(frameHead))) return;
      const length = buffer.readUInt32LE(0);
      if (length < payloadHead + 1 || length > payloadHead + maxRecordIdBytes + maxSpooledRecordBytes) return;
      if (!(await have(frameHead + length))) return;
      const payload = buffer.subarray(frameHead, frameHead + length);
      if (crc32(payload) !== buffer.readUInt32LE(4)) return;
      const idLength = payload.readUInt8(8);
      if (payloadHead + idLength > length) return;
      yield {
        arrivalTimestamp: payload.readDoubleLE(0),
        recordId: payload.toString('latin1', payloadHead, payloadHead + idLength),
        data: payload.subarray(payloadHead + idLength),
      };
      buffer = buffer.subarray(frameHead + length);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Who writes or delivers spool segments: a process id and a random part, so a process started
 * again with the same id (as in a container) is still another owner (`p4242-a1b2c3`).
 */
export function newSpoolOwner(pid: number = process.pid): string {
  return `p${pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * A new segment id: sortable by time, then by the writer's sequence (`20250314T093000123Z-p4242-a1b2c3-000007`).
 * It never changes, whoever delivers the segment, so a manifest naming it names this segment only.
 */
export function newSegmentId(owner: string, sequence: number, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${owner}-${String(sequence).padStart(6, '0')}`;
}

/** A segment's file name: its id and its current owner. */
export function segmentFileName(id: string, owner: string): string {
  return `${id}.${owner}${segmentSuffix}`;
}

const segmentFilePattern = /^(\d{8}T\d{9}Z-p\d+-[0-9a-f]{6}-\d{6,})\.(p(\d+)-[0-9a-f]{6})\.spool$/;

/** The id and owner of a segment file name, or undefined for any other file. */
export function parseSegmentFileName(
  name: string,
): { readonly id: string; readonly owner: string; readonly ownerPid: number } | undefined {
  const match = segmentFilePattern.exec(name);
  return match ? { id: match[1], owner: match[2], ownerPid: Number(match[3]) } : undefined;
}

// The owners of the spools open in this process: their process is alive, yet a closed one is gone.
const openOwners = new Set<string>();

/** Marks an owner as open in this process (or, with `open` false, as closed). */
export function setOwnerOpen(owner: string, open: boolean): void {
  if (open) openOwners.add(owner);
  else openOwners.delete(owner);
}

/**
 * Whether the owner of a segment is gone, so another spool may take the segment over: its process
 * has ended, or it is this process and that spool is closed (a spool opened again, a process that
 * got the pid of an earlier one).
 */
export function isOwnerGone(ownerPid: number, owner: string): boolean {
  return ownerPid === process.pid ? !openOwners.has(owner) : !isProcessAlive(ownerPid);
}
