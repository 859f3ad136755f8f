/**
 * One input record as it arrived: its text, where it came from, and when it arrived if known.
 *
 * @example const record: RawRecord = { text: '{"eventType":"Send"}', origin: 'day.jsonl', line: 1 };
 */
export interface RawRecord {
  readonly text: string;
  /** The file name, or the delivery stream name, the record came from. */
  readonly origin: string;
  /** 1-based line number in the origin (record number for a stream). */
  readonly line: number;
  /** Epoch milliseconds the record arrived; the ingest time when absent. */
  readonly arrivalTimestamp?: number;
  /**
   * The bytes the record was read from, when `text` does not encode back to them (they were not
   * valid UTF-8). A failure record keeps these bytes, so `errors/` holds the record exactly as it came.
   * Absent means the UTF-8 encoding of `text`.
   */
  readonly bytes?: Uint8Array;
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Splits a byte stream (a file or stdin) into JSON Lines records. Blank lines are skipped but still
 * counted, so `line` always matches what an editor shows; a trailing `\r` is dropped. Linear in the
 * input, however long a line is: the pieces of a line are joined once, when its end arrives.
 *
 * @example
 * for await (const record of readJsonLines(fs.createReadStream('events.jsonl'), 'events.jsonl')) { ... }
 */
export async function* readJsonLines(
  input: AsyncIterable<Buffer | string>,
  origin: string,
): AsyncGenerator<RawRecord> {
  // The start of a line whose end has not arrived yet, in the pieces it came in.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    let start = 0;
    for (let end = chunk.indexOf(newline); end !== -1; end = chunk.indexOf(newline, start)) {
      line += 1;
      let record: RawRecord | undefined;
      if (pendingBytes > 0) {
        pending.push(chunk.subarray(start, end));
        const whole = Buffer.concat(pending, pendingBytes + end - start);
        pending = [];
        pendingBytes = 0;
        record = rawRecordOfLine(whole, 0, whole.length, origin, line);
      } else {
        record = rawRecordOfLine(chunk, start, end, origin, line);
      }
      if (record) yield record;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
    }
  }
  if (pendingBytes > 0) {
    const whole = Buffer.concat(pending, pendingBytes);
    const record = rawRecordOfLine(whole, 0, whole.length, origin, line + 1);
    if (record) yield record;
  }
}

/** A line of `bytes[start..end)` (a trailing `\r` dropped) as a record; undefined when it is blank. */
function rawRecordOfLine(
  bytes: Buffer,
  start: number,
  end: number,
  origin: string,
  line: number,
): RawRecord | undefined {
  const last = end > start && bytes[end - 1] === carriageReturn ? end - 1 : end;
  const record = rawRecordOfBytes(bytes.subarray(start, last), origin, line);
  return /\S/.test(record.text) ? record : undefined;
}

/**
 * The record held in `bytes`, decoded as UTF-8. Bytes that are not valid UTF-8 decode to U+FFFD,
 * which does not encode back to them; the record then keeps a copy of its bytes.
 *
 * @example rawRecordOfBytes(Buffer.from([0x7b, 0xff, 0x7d]), 'in.jsonl', 1).bytes // Uint8Array [0x7b, 0xff, 0x7d]
 */
export function rawRecordOfBytes(
  bytes: Uint8Array,
  origin: string,
  line: number,
  arrivalTimestamp?: number,
): RawRecord {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = view.toString('utf8');
  const arrival = arrivalTimestamp === undefined ? {} : { arrivalTimestamp };
  return text.includes('\uFFFD')
    ? { text, origin, line, ...arrival, bytes: new Uint8Array(view) }
    : { text, origin, line, ...arrival };
}
