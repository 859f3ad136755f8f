import { isJsonText } from '../is-json-text';

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * The records held in the data of one Firehose record, as parts of its bytes (so a failure record keeps
 * them exactly, even when they are not valid UTF-8).
 *
 * A record holding one JSON document (one line, or pretty-printed as `aws firehose put-record --record
 * "Data=$(cat event.json | base64)"` sends it) is passed on unchanged, exactly as the transformation Lambda
 * on AWS receives it, so it gets the same `eventId` and `rawEvent` there and here. A record holding several
 * JSON Lines (as producers batch them) is split: blank lines are skipped and a trailing `\r` is dropped. A
 * blank record holds none.
 *
 * @example linesOfRecord(Buffer.from('{"a":1}\n{"b":2}\n')).map(String) // ['{"a":1}', '{"b":2}']
 */
export function linesOfRecord(record: Uint8Array): Buffer[] {
  const data = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  const content = data.toString('utf8').trimEnd();
  if (content.trim() === '') return [];
  if (!content.includes('\n') || isJsonText(content)) return [data];
  const lines: Buffer[] = [];
  for (let start = 0; start < data.length;) {
    const found = data.indexOf(newline, start);
    const end = found === -1 ? data.length : found;
    const last = end > start && data[end - 1] === carriageReturn ? end - 1 : end;
    const line = data.subarray(start, last);
    if (/\S/.test(line.toString('utf8'))) lines.push(line);
    start = end + 1;
  }
  return lines;
}
