import { Readable } from 'node:stream';
import { readJsonLines } from './raw-record';

async function collect(pieces: (string | Buffer)[]): Promise<{ text: string; line: number }[]> {
  const records = [];
  for await (const record of readJsonLines(Readable.from(pieces, { objectMode: true }), 'in.jsonl')) {
    expect(record.origin).toBe('in.jsonl');
    records.push({ text: record.text, line: record.line });
  }
  return records;
}

describe('readJsonLines', () => {
  it.each([
    [
      'one line per piece',
      ['{"a":1}\n', '{"b":2}\n'],
      [
        { text: '{"a":1}', line: 1 },
        { text: '{"b":2}', line: 2 },
      ],
    ],
    [
      'a line split over pieces',
      ['{"a":', '1}\n{"b"', ':2}\n'],
      [
        { text: '{"a":1}', line: 1 },
        { text: '{"b":2}', line: 2 },
      ],
    ],
    [
      'no newline at the end',
      ['{"a":1}\n{"b":2}'],
      [
        { text: '{"a":1}', line: 1 },
        { text: '{"b":2}', line: 2 },
      ],
    ],
    [
      'CRLF line ends',
      ['{"a":1}\r\n{"b":2}\r\n'],
      [
        { text: '{"a":1}', line: 1 },
        { text: '{"b":2}', line: 2 },
      ],
    ],
    [
      'blank lines, still counted',
      ['\n{"a":1}\n  \n\n{"b":2}\n\n'],
      [
        { text: '{"a":1}', line: 2 },
        { text: '{"b":2}', line: 5 },
      ],
    ],
    ['empty input', [], []],
  ])('yields each record with its line number when given %s', async (_name, pieces, expected) => {
    const records = await collect(pieces);

    expect(records).toEqual(expected);
  });

  it('decodes a UTF-8 character split between two pieces', async () => {
    const bytes = Buffer.from('{"emoji":"\u{1F44D}"}\n', 'utf8');
    const cut = bytes.indexOf(0xf0) + 2;

    const records = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);

    expect(records).toEqual([{ text: '{"emoji":"\u{1F44D}"}', line: 1 }]);
  });
});
