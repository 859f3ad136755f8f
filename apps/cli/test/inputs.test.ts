import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { corpusDirectory, loadCorpus, loadMixedEvents } from '@engagement-db/corpus';
import { ExitStatus } from '../src/cli-error';
import { lakeContents } from './lake-contents';
import { type ProgramRun, runProgram } from './run-program';

const mixedLines = loadMixedEvents();
const events = mixedLines.map((line) => JSON.parse(line) as unknown);
const corpus = loadCorpus();

/** The rows `map` wrote, with the id and raw text that depend on how the record was written left out. */
function mappedRows(run: ProgramRun): unknown[] {
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ({ ...(JSON.parse(line) as object), eventId: undefined, rawEvent: undefined }));
}

function failureLines(run: ProgramRun): string[] {
  return run.stderr.split('\n').filter((line) => /^\S+:\d+: /.test(line));
}

describe('the inputs map and ingest read', () => {
  let work: string;
  let reference: unknown[];
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-inputs-'));
    const file = path.join(work, 'reference.jsonl');
    fs.writeFileSync(file, mixedLines.join('\n') + '\n');
    reference = mappedRows(await runProgram(['map', file]));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  function write(name: string, content: string | Buffer): string {
    const file = path.join(work, name);
    fs.writeFileSync(file, content);
    return file;
  }

  const jsonLines = mixedLines.join('\r\n') + '\r\n';
  it.each([
    [
      'a file starting with a UTF-8 byte order mark',
      () => ({ file: write('bom.jsonl', `\uFEFF${jsonLines}`) }),
    ],
    ['stdin starting with a UTF-8 byte order mark', () => ({ stdin: `\uFEFF${jsonLines}` })],
    ['a .gz file', () => ({ file: write('day.jsonl.gz', zlib.gzipSync(jsonLines)) })],
    ['a gzip file not named .gz', () => ({ file: write('day.jsonl', zlib.gzipSync(`\uFEFF${jsonLines}`)) })],
    ['gzip on stdin', () => ({ stdin: zlib.gzipSync(jsonLines) })],
    [
      'a pretty JSON array of events',
      () => ({ file: write('events.json', JSON.stringify(events, null, 2)) }),
    ],
    ['a compact JSON array of events', () => ({ file: write('compact.json', JSON.stringify(events)) })],
    ['a gzipped JSON array on stdin', () => ({ stdin: zlib.gzipSync(JSON.stringify(events, null, 4)) })],
  ])('map and ingest read %s as the same events', async (_what, input) => {
    const { file, stdin } = input() as { file?: string; stdin?: string | Buffer };
    const args = file === undefined ? ['-'] : [file];
    const lake = path.join(work, `lake-${Math.random().toString(36).slice(2)}`);

    const mapped = await runProgram(['map', ...args], { stdin });
    const ingested = await runProgram(['ingest', '--lake', lake, ...args], { stdin });

    expect(mapped.stderr).toBe('');
    expect(mapped.status).toBe(ExitStatus.ok);
    expect(mappedRows(mapped)).toEqual(reference);
    expect(ingested.status).toBe(ExitStatus.ok);
    expect(ingested.stdout).toContain(`ingested ${events.length} records into ${lake} (events,`);
    expect((await lakeContents(lake, 'events')).rows).toBe(reference.length);
  });

  it('reports the elements of a JSON array that fail with the lines they start on, in map and ingest alike', async () => {
    const file = write(
      'some-bad.json',
      `[\n${JSON.stringify(events[0])},\n{"eventType": 42},\n\n  "not an event",\n${JSON.stringify(events[1])}\n]\n`,
    );
    const lake = path.join(work, 'lake-some-bad');

    const mapped = await runProgram(['map', file]);
    const ingested = await runProgram(['ingest', '--lake', lake, file]);

    const expected = [
      expect.stringMatching(new RegExp(`^${file}:3: unknown-source: `)),
      expect.stringMatching(new RegExp(`^${file}:5: unknown-source: `)),
    ];
    expect(failureLines(mapped)).toEqual(expected);
    expect(failureLines(ingested)).toEqual(expected);
    expect([mapped.status, ingested.status]).toEqual([ExitStatus.recordsFailed, ExitStatus.recordsFailed]);
    const stored = await lakeContents(lake, 'events');
    expect(stored.failures.map((f) => [f.line, Buffer.from(f.rawData, 'base64').toString()])).toEqual([
      [3, '{"eventType": 42}'],
      [5, '"not an event"'],
    ]);
    expect(stored.rows).toBe(mappedRows(mapped).length);
  });

  it.each([
    ['corpus/ses/bounce.json', 'the pretty-printed event of the README'],
    ['corpus/whatsapp/two-statuses.json', 'the pretty-printed WhatsApp event of the CLI README'],
  ])('ingests %s (%s) as map maps it', async (name) => {
    const file = path.join(corpusDirectory, name.replace(/^corpus\//, ''));
    const expected = corpus.find((c) => c.rawPath === file)?.expected;
    const lake = path.join(work, `lake-${path.basename(name)}`);

    const mapped = await runProgram(['map', file]);
    const ingested = await runProgram(['ingest', '--lake', lake, file]);

    expect(mapped.status).toBe(ExitStatus.ok);
    expect(
      mapped.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual(expected);
    expect(ingested.status).toBe(ExitStatus.ok);
    expect((await lakeContents(lake, 'events')).rows).toBe(expected?.length);
  });

  it('fails a record nested thousands deep in map and in the mapping workers of ingest alike', async () => {
    // A worker thread has a larger stack than the main thread: walking such a record once overflowed
    // the one and not the other, so map failed it and ingest stored its rows.
    const whatsApp = JSON.stringify(
      JSON.parse(corpus.find((c) => c.name === 'whatsapp/two-statuses')?.rawText ?? ''),
    );
    const deep = `{"extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)},${whatsApp.slice(1)}`;
    const file = write('deep.jsonl', [mixedLines[0], deep, mixedLines[1], ''].join('\n'));
    const lake = path.join(work, 'lake-deep');

    const mapped = await runProgram(['map', file]);
    const ingested = await runProgram(['ingest', '--workers', '2', '--lake', lake, file]);

    const expected = [
      `${file}:2: invalid-record: the record's arrays and objects nest more than 128 levels deep; no event does`,
    ];
    expect(failureLines(mapped)).toEqual(expected);
    expect(failureLines(ingested)).toEqual(expected);
    const stored = await lakeContents(lake, 'events');
    expect(stored.failures.map((f) => f.line)).toEqual([2]);
    expect(stored.rows).toBe(mappedRows(mapped).length);
  });

  const png = Buffer.concat([
    Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
    Buffer.alloc(5000, 0x11),
  ]);
  it.each([
    ['a PNG image', () => write('photo.png', png), 'a PNG image'],
    ['random bytes', () => write('random.jsonl', pseudoRandomBytes(50_000)), 'binary data, not UTF-8 text'],
  ])(
    'refuses %s with one line naming the file and exit status 2, in map and ingest alike',
    async (_what, binary, what) => {
      const file = binary();
      const good = write('good.jsonl', mixedLines.join('\n'));
      const lake = path.join(work, 'lake-binary');

      const mapped = await runProgram(['map', good, file]);
      const ingested = await runProgram(['ingest', '--lake', lake, good, file]);

      for (const run of [mapped, ingested]) {
        expect(run.status).toBe(ExitStatus.unusable);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(new RegExp(`^engagement-db: cannot read ${file}: it is ${what}[^\n]*\n$`));
      }
      expect(fs.existsSync(path.join(lake, 'events'))).toBe(false);
    },
  );

  it('refuses binary data on stdin after nothing was written, in map and ingest alike', async () => {
    const lake = path.join(work, 'lake-binary-stdin');

    const mapped = await runProgram(['map'], { stdin: pseudoRandomBytes(10_000) });
    const ingested = await runProgram(['ingest', '--lake', lake, '-'], { stdin: pseudoRandomBytes(10_000) });

    for (const run of [mapped, ingested]) {
      expect([run.status, run.stdout]).toEqual([ExitStatus.unusable, '']);
      expect(run.stderr).toMatch(
        /^engagement-db: cannot read <stdin>: it is binary data, not UTF-8 text [^\n]*\n$/,
      );
    }
    expect(fs.existsSync(path.join(lake, 'events'))).toBe(false);
  });

  it('escapes the control characters of records and file names in failure lines, in map and ingest alike', async () => {
    const file = write('\u001b[2Jcolours.jsonl', '\u001b[31m{"red"\n{"eventType":"\\u001b[H\\u009b2J"}\n');
    const lake = path.join(work, 'lake-escapes');

    const mapped = await runProgram(['map', file]);
    const ingested = await runProgram(['ingest', '--lake', lake, file]);

    for (const run of [mapped, ingested]) {
      // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
      expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(failureLines(run)[0]).toContain(
        `\\u001b[2Jcolours.jsonl:1: unparseable-json: record is not JSON: Unexpected token '\\u001b'`,
      );
    }
    const stored = await lakeContents(lake, 'events');
    expect(Buffer.from(stored.failures[0].rawData, 'base64').toString()).toBe('\u001b[31m{"red"');
  });
});

/** The same bytes every run: a multiplicative hash of the position. */
function pseudoRandomBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 13) & 0xff));
}
