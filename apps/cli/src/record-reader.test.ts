import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import * as zlib from 'node:zlib';
import type { RawRecord } from '@engagement-db/lake';
import { ExitStatus } from './cli-error';
import { checkInputFiles, readInputs, readRecords } from './record-reader';

async function recordsOf(chunks: readonly (string | Buffer)[]): Promise<RawRecord[]> {
  const input = new PassThrough();
  for (const chunk of chunks) input.write(chunk);
  input.end();
  const records: RawRecord[] = [];
  for await (const record of readRecords(input, 'input')) records.push(record);
  return records;
}

/** The input cut into pieces of `size` bytes, as a slow pipe delivers it. */
function piecesOf(input: string | Buffer, size: number): Buffer[] {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}

const bom = '\uFEFF';
const events = [
  { eventType: 'Send', mail: { messageId: 'm-1', tags: { a: ['x,y]'] } } },
  { eventType: 'Open', note: 'a "quoted" [bracket] {brace}, and \\ backslash' },
  { eventType: 'Click', nested: [[1, 2], { deep: [{}] }] },
];

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

describe('readRecords, inputs people have', () => {
  it.each([
    ['JSON Lines', `${bom}{"a":1}\n{"b":2}\n`, ['{"a":1}', '{"b":2}']],
    ['a pretty-printed document', `${bom}${pretty}\n`, [pretty]],
    ['a JSON array', `${bom}[{"a":1},{"b":2}]`, ['{"a":1}', '{"b":2}']],
    ['CRLF JSON Lines', `${bom}{"a":1}\r\n{"b":2}\r\n`, ['{"a":1}', '{"b":2}']],
  ])('skips a UTF-8 byte order mark at the start of %s', async (_what, input, texts) => {
    const records = await recordsOf(piecesOf(input, 2));

    expect(records.map((r) => r.text)).toEqual(texts);
    expect(records[0].line).toBe(1);
  });

  it.each([
    ['JSON Lines', events.map((e) => JSON.stringify(e)).join('\n')],
    ['a JSON array', JSON.stringify(events, null, 2)],
    ['a byte order mark and JSON Lines', bom + events.map((e) => JSON.stringify(e)).join('\n')],
  ])('reads gzip of %s by its first bytes, in whatever pieces it arrives', async (_what, text) => {
    const plain = await recordsOf([text]);

    const gzipped = await recordsOf(piecesOf(zlib.gzipSync(text), 7));

    expect(gzipped.length).toBe(events.length);
    expect(gzipped).toEqual(plain);
  });

  it('reads gzip made of several members, as concatenated .gz files are', async () => {
    const input = Buffer.concat([zlib.gzipSync('{"a":1}\n'), zlib.gzipSync('{"b":2}\n')]);

    const records = await recordsOf([input]);

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
  });

  it('refuses damaged gzip naming the input, with exit status 2', async () => {
    const damaged = zlib.gzipSync(events.map((e) => JSON.stringify(e)).join('\n')).subarray(0, 30);

    const reading = recordsOf([damaged]);

    await expect(reading).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: ExitStatus.unusable,
      message: expect.stringMatching(
        /^cannot read input: its gzip data is damaged \(unexpected end of file\)$/,
      ),
    });
  });

  it.each([
    ['pretty', JSON.stringify(events, null, 2), [2, 13, 17]],
    ['compact', JSON.stringify(events), [1, 1, 1]],
    ['with CRLF line breaks', JSON.stringify(events, null, 2).replaceAll('\n', '\r\n'), [2, 13, 17]],
    [
      'after blank lines, one element a line',
      `\n\n[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`,
      [4, 5, 6],
    ],
  ])(
    'reads each element of a %s JSON array as a record, with the line the element starts on',
    async (_how, input, lines) => {
      const records = await recordsOf(piecesOf(input, 5));

      expect(records.map((r) => JSON.parse(r.text))).toEqual(events);
      expect(records.map((r) => r.line)).toEqual(lines);
      expect(records.map((r) => r.origin)).toEqual(['input', 'input', 'input']);
    },
  );

  it('keeps the bytes of an element that are not UTF-8, as the lines of JSON Lines are kept', async () => {
    const input = Buffer.concat([Buffer.from('[{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')]);

    const [record] = await recordsOf([input]);

    expect(Buffer.from(record.bytes ?? [])).toEqual(input.subarray(1, input.length - 1));
  });

  it('reads arrays one after another, then text that is not an array line by line', async () => {
    const input = '[{"a":1}]\n[\n  {"b":2}\n]\n{"c":3}\nnot json\n';

    const records = await recordsOf(piecesOf(input, 3));

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, '{"a":1}'],
      [3, '{"b":2}'],
      [5, '{"c":3}'],
      [6, 'not json'],
    ]);
  });

  it('reads nothing from an empty array, and passes over empty elements', async () => {
    expect(await recordsOf(['[]'])).toEqual([]);
    expect((await recordsOf(['[{"a":1},,{"b":2},]'])).map((r) => r.text)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps a broken element as one record without swallowing the elements after it', async () => {
    const input = '[\n{"a":"no end},\n{"b":2},\n{"c":\n]';

    const records = await recordsOf([input]);

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [2, '{"a":"no end},'],
      [3, '{"b":2}'],
      [4, '{"c":'],
    ]);
  });

  it('ends a broken element at the end of its line in an array of one element a line', async () => {
    const input = '[{"a":1},\n{"b":{"c":2},\n{"d":[3},\n{"e":4}]\n';

    const records = await recordsOf(piecesOf(input, 4));

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":{"c":2},'],
      [3, '{"d":[3},'],
      [4, '{"e":4}'],
    ]);
  });

  it.each([
    [
      'an extra ]',
      '[{"a":[1]]]},\n{"b":2}\n]\n',
      [
        [1, '{"a":[1]]]}'],
        [2, '{"b":2}'],
      ],
    ],
    [
      'an extra }',
      '[{"a":1}}, {"b":2}]',
      [
        [1, '{"a":1}}'],
        [1, '{"b":2}'],
      ],
    ],
    [
      'arrays one after another on a line',
      '[{"a":1},{"b":2}][{"c":3}]',
      [
        [1, '{"a":1}'],
        [1, '{"b":2}'],
        [1, '{"c":3}'],
      ],
    ],
  ])('tells the end of an array from %s in a broken element', async (_what, input, expected) => {
    const records = await recordsOf(piecesOf(input, 2));

    expect(records.map((r) => [r.line, r.text])).toEqual(expected);
  });

  it('keeps each element of a pretty-printed array whole, over as many lines as it takes', async () => {
    const input = JSON.stringify([{ a: [1, { b: '[{' }] }, { c: {} }], null, 2);

    const records = await recordsOf(piecesOf(input, 3));

    expect(records.map((r) => JSON.parse(r.text))).toEqual([{ a: [1, { b: '[{' }] }, { c: {} }]);
  });

  it('reads an array that never closes up to its end', async () => {
    const records = await recordsOf(['[{"a":1},\n{"b":']);

    expect(records.map((r) => [r.line, r.text])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":'],
    ]);
  });

  it('still reads text with a few bytes of another encoding line by line', async () => {
    const latin1 = Buffer.from('{"name":"Caf\xe9 cr\xe8me"}\n{"b":2}\n', 'latin1');

    const records = await recordsOf([latin1]);

    expect(records.map((r) => r.line)).toEqual([1, 2]);
    expect(Buffer.from(records[0].bytes ?? [])).toEqual(latin1.subarray(0, latin1.indexOf(0x0a)));
  });
});

describe('binary inputs', () => {
  let folder: string;
  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-reader-'));
  });
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
  const parquet = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(300, 0x15), Buffer.from('PAR1')]);
  // A fixed pseudo-random sequence, so the test reads the same bytes every time.
  const randomBytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24));
  const utf16 = Buffer.from(`${bom}{"eventType":"Send"}\n`, 'utf16le');

  it.each([
    ['a PNG image', png, 'a PNG image'],
    ['a Parquet file', parquet, 'a Parquet file'],
    ['random bytes', randomBytes, 'binary data, not UTF-8 text'],
    ['gzip of random bytes', zlib.gzipSync(randomBytes), 'binary data, not UTF-8 text'],
    ['UTF-16 text', utf16, 'UTF-16LE text; convert it to UTF-8 first (iconv -f UTF-16LE -t UTF-8)'],
    ['a zip archive', Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100)]), 'a zip archive'],
  ])('refuses %s with one message naming the file, before reading any record', async (_what, bytes, what) => {
    const good = path.join(folder, 'good.jsonl');
    fs.writeFileSync(good, '{"a":1}\n');
    const file = path.join(folder, 'input.bin');
    fs.writeFileSync(file, bytes);

    const read = async (): Promise<void> => {
      for await (const record of readInputs([file], new PassThrough())) void record;
    };

    for (const refused of [() => checkInputFiles([good, file]), read]) {
      await expect(refused()).rejects.toMatchObject({
        name: 'CliError',
        exitStatus: ExitStatus.unusable,
        message: expect.stringMatching(
          /; expected raw events as JSON Lines, a JSON document or a JSON array, or gzip of one$/,
        ),
      });
      await expect(refused()).rejects.toThrow(`cannot read ${file}: it is ${what}`);
    }
  });

  it('refuses binary data on stdin as <stdin>', async () => {
    const stdin = new PassThrough();
    stdin.end(png);

    const reading = (async () => {
      for await (const record of readInputs(['-'], stdin)) void record;
    })();

    await expect(reading).rejects.toThrow(/^cannot read <stdin>: it is a PNG image; /);
  });

  it('reads gzip files whatever their name, and reads plain files named .gz', async () => {
    const gzipped = path.join(folder, 'events.jsonl');
    fs.writeFileSync(gzipped, zlib.gzipSync('{"a":1}\n'));
    const plain = path.join(folder, 'plain.jsonl.gz');
    fs.writeFileSync(plain, '{"b":2}\n');

    await checkInputFiles([gzipped, plain]);
    const records: RawRecord[] = [];
    for await (const record of readInputs([gzipped, plain], new PassThrough())) records.push(record);

    expect(records).toEqual([
      { text: '{"a":1}', origin: gzipped, line: 1 },
      { text: '{"b":2}', origin: plain, line: 1 },
    ]);
  });
});
