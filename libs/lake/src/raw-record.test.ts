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

  it('reads a 50 MB line arriving in 64 KiB pieces in linear time', async () => {
    const line = `{"pad":"${'x'.repeat(50 * 2 ** 20)}"}`;
    const bytes = Buffer.from(`${line}\n{"b":2}\n`);
    const pieces = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
      bytes.subarray(i * 65536, (i + 1) * 65536),
    );
    const started = process.cpuUsage();

    const records = [];
    for await (const record of readJsonLines(Readable.from(pieces), 'big.jsonl')) records.push(record);

    const { user, system } = process.cpuUsage(started);
    expect(records.map((r) => [r.line, r.text.length])).toEqual([
      [1, line.length],
      [2, 7],
    ]);
    expect(records[0].text === line).toBe(true);
    // Joining the pieces again for every piece took 17 s of CPU; once per line takes well under one.
    expect((user + system) / 1e6).toBeLessThan(5);
  });

  it('keeps the bytes of a line that is not valid UTF-8, and only then', async () => {
    const invalid = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);

    const records = [];
    for await (const record of readJsonLines(
      Readable.from([Buffer.concat([invalid, Buffer.from('\n{"\u{1F44D}":1}\n')])]),
      'in.jsonl',
    )) {
      records.push(record);
    }

    expect(records[0]).toEqual({
      text: '{"\uFFFD"}',
      origin: 'in.jsonl',
      line: 1,
      bytes: new Uint8Array(invalid),
    });
    expect(records[1]).toEqual({ text: '{"\u{1F44D}":1}', origin: 'in.jsonl', line: 2 });
  });
});
