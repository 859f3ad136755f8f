import { type RawRecord, rawRecordOfBytes, readJsonLines } from '@engagement-db/lake';

const Byte = {
  newline: 0x0a,
  quote: 0x22,
  backslash: 0x5c,
  comma: 0x2c,
  openArray: 0x5b,
  closeArray: 0x5d,
  openObject: 0x7b,
  closeObject: 0x7d,
} as const;

const isBlank = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The records of an input that starts with a JSON array (`[ {...}, {...} ]`, pretty or compact):
 * each element is a record, with the line its first character is on, its bytes exactly as they
 * are. Several arrays one after another are read in turn; text after the last that is not another
 * array is read as JSON Lines, so nothing is dropped. Empty elements (`[a,,b]`, a trailing comma)
 * hold nothing and are passed over.
 *
 * The elements are found without parsing them (the mapper parses each): by brackets and strings.
 * A broken element must not swallow the elements after it, so an element ends at the end of its line
 * when a string in it runs there (JSON strings hold no line breaks), and when it is written on one
 * line (its first line holds more than its opening bracket, as `jq -c` and `JSON.stringify` write
 * them). A pretty-printed element (its opening bracket alone on its line) whose brackets do not
 * balance runs on until they do, and is then one failed record holding all of its text. Streams:
 * memory holds one element at a time.
 *
 * @example for await (const record of readJsonArrayRecords(bytes, 'export.json')) console.log(record.line);
 */
export async function* readJsonArrayRecords(
  input: AsyncIterable<Buffer>,
  origin: string,
): AsyncGenerator<RawRecord> {
  const iterator = input[Symbol.asyncIterator]();
  let line = 1;
  // 0: between arrays; 1: in an array, between elements or at the top of one; more: nested in one.
  let depth = 0;
  let inString = false;
  let escaped = false;
  // The element being read: its pieces from earlier chunks, where it starts in this chunk, its line.
  let element: Buffer[] | undefined;
  let elementBytes = 0; // in the pieces
  let start = 0;
  let elementLine = 0;
  // Whether the element's first line holds more than its opening bracket: then it is written on one
  // line (`jq -c`, JSON.stringify), and is broken if it is still open where its line ends.
  let oneLineElement = false;
  // Where the element ended when a `]` closed the array: the close holds only if the line ends (or
  // another array starts) before anything else comes; else the `]` belonged to a broken element.
  let closedAt: number | undefined;
  const finish = (chunk: Buffer, end: number, length?: number): RawRecord | undefined => {
    let bytes = Buffer.concat([...(element as Buffer[]), chunk.subarray(start, end)]);
    if (length !== undefined) bytes = bytes.subarray(0, length);
    element = undefined;
    elementBytes = 0;
    closedAt = undefined;
    let last = bytes.length;
    while (last > 0 && isBlank(bytes[last - 1])) last -= 1;
    return last === 0 ? undefined : rawRecordOfBytes(bytes.subarray(0, last), origin, elementLine);
  };

  for (let piece = await iterator.next(); !piece.done; piece = await iterator.next()) {
    const chunk = piece.value;
    start = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === Byte.newline) line += 1;
      if (closedAt !== undefined) {
        if (byte === Byte.newline || byte === Byte.openArray) {
          const record = finish(chunk, i, closedAt);
          if (record) yield record;
          if (byte === Byte.openArray) depth = 1;
          continue;
        }
        if (isBlank(byte)) continue;
        // More on the line of the `]`: it did not close the array.
        closedAt = undefined;
        depth = 1;
        oneLineElement = true;
      }
      if (element !== undefined && byte === Byte.newline && (inString || oneLineElement)) {
        // A string runs over the end of its line, which JSON strings never do, or an element written
        // on one line does: it is broken, and ends here.
        inString = false;
        escaped = false;
        depth = 1;
        const record = finish(chunk, i);
        if (record) yield record;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === Byte.backslash) escaped = true;
        else if (byte === Byte.quote) inString = false;
        continue;
      }
      if (depth === 0) {
        if (isBlank(byte)) continue;
        if (byte === Byte.openArray) {
          depth = 1;
          continue;
        }
        // Not another array: the rest is read line by line, from this line on.
        for await (const record of readJsonLines(replay(chunk.subarray(i), iterator), origin))
          yield { ...record, line: record.line + line - 1 };
        return;
      }
      if (element === undefined) {
        if (isBlank(byte) || byte === Byte.comma) continue;
        if (byte === Byte.closeArray) {
          depth = 0;
          continue;
        }
        element = [];
        start = i;
        elementLine = line;
        oneLineElement = false;
      } else if (line === elementLine && !isBlank(byte)) {
        oneLineElement = true;
      }
      if (byte === Byte.quote) inString = true;
      else if (byte === Byte.openArray || byte === Byte.openObject) depth += 1;
      else if (byte === Byte.closeArray || (byte === Byte.closeObject && depth > 1)) depth -= 1;
      if (depth === 0) closedAt = elementBytes + i - start;
      else if (byte === Byte.comma && depth === 1) {
        const record = finish(chunk, i);
        if (record) yield record;
      }
    }
    if (element !== undefined) {
      element.push(chunk.subarray(start));
      elementBytes += chunk.length - start;
      start = 0;
    }
  }
  if (element !== undefined) {
    const record = finish(Buffer.alloc(0), 0, closedAt);
    if (record) yield record;
  }
}

async function* replay(first: Buffer, rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield first;
  for (let piece = await rest.next(); !piece.done; piece = await rest.next()) yield piece.value;
}
