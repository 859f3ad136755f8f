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
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * Splits a byte stream (a file or stdin) into JSON Lines records. Blank lines are skipped but still
 * counted, so `line` always matches what an editor shows; a trailing `\r` is dropped.
 *
 * @example
 * for await (const record of readJsonLines(fs.createReadStream('events.jsonl'), 'events.jsonl')) { ... }
 */
export async function* readJsonLines(
  input: AsyncIterable<Buffer | string>,
  origin: string,
): AsyncGenerator<RawRecord> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const buffer = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    let end = buffer.indexOf(newline, start);
    while (end !== -1) {
      line += 1;
      const text = lineText(buffer, start, end);
      if (text !== undefined) yield { text, origin, line };
      start = end + 1;
      end = buffer.indexOf(newline, start);
    }
    pending = buffer.subarray(start);
  }
  if (pending.length > 0) {
    const text = lineText(pending, 0, pending.length);
    if (text !== undefined) yield { text, origin, line: line + 1 };
  }
}

function lineText(buffer: Buffer, start: number, end: number): string | undefined {
  const last = end > start && buffer[end - 1] === carriageReturn ? end - 1 : end;
  const text = buffer.toString('utf8', start, last);
  return text.trim() === '' ? undefined : text;
}
