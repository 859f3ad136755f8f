import { PassThrough } from 'node:stream';
import type { RawRecord } from '@engagement-db/lake';
import { readRecords } from './record-reader';

async function recordsOf(chunks: readonly string[]): Promise<RawRecord[]> {
  const input = new PassThrough();
  for (const chunk of chunks) input.write(chunk);
  input.end();
  const records: RawRecord[] = [];
  for await (const record of readRecords(input, 'input')) records.push(record);
  return records;
}

const pretty = '{\n  "eventType": "Send",\n\n  "mail": {}\n}';

describe('readRecords', () => {
  it('reads JSON Lines, skipping blank lines but counting them', async () => {
    const records = await recordsOf(['{"a":1}\n\n{"b":', '2}\r\n']);

    expect(records).toEqual([
      { text: '{"a":1}', origin: 'input', line: 1 },
      { text: '{"b":2}', origin: 'input', line: 3 },
    ]);
  });

  it.each([
    ['as written', `${pretty}\n`, pretty, 1],
    ['after blank lines, with CRLF line breaks', `\n\n${pretty.replaceAll('\n', '\r\n')}\r\n`, pretty, 3],
  ])(
    'reads a file holding one pretty-printed document as one record, %s',
    async (_how, input, text, line) => {
      const records = await recordsOf([input.slice(0, 7), input.slice(7)]);

      expect(records).toEqual([{ text, origin: 'input', line }]);
    },
  );

  it('reads lines one by one when a first line that opens a document does not make one', async () => {
    const records = await recordsOf(['{"a":\n1}\n{"b":2}\n']);

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, '{"a":'],
      [2, '1}'],
      [3, '{"b":2}'],
    ]);
  });

  it('reads nothing from an empty or blank input', async () => {
    expect(await recordsOf([])).toEqual([]);
    expect(await recordsOf(['\n  \n'])).toEqual([]);
  });
});
