import { isJsonText } from '../is-json-text';

/**
 * The records held in the data of one Firehose record, as the lake reads them.
 *
 * A record holding one JSON document (one line, or pretty-printed as `aws firehose put-record --record
 * "Data=$(cat event.json | base64)"` sends it) is passed on unchanged, exactly as the transformation Lambda
 * on AWS receives it, so it gets the same `eventId` and `rawEvent` there and here. A record holding several
 * JSON Lines (as producers batch them) is split: blank lines are skipped and a trailing `\r` is dropped.
 *
 * @example linesOfRecord(Buffer.from('{"a":1}\n{"b":2}\n')) // ['{"a":1}', '{"b":2}']
 */
export function linesOfRecord(data: Buffer): string[] {
  const text = data.toString('utf8');
  const content = text.trimEnd();
  if (content.trim() === '') return [];
  if (!content.includes('\n') || isJsonText(content)) return [text];
  const lines: string[] = [];
  for (const piece of content.split('\n')) {
    const line = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}
