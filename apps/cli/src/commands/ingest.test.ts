import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadCorpus, loadMixedEvents } from '@engagement-db/corpus';
import { CliError, ExitStatus } from '../cli-error';
import { ingestCommand } from './ingest';

const cliFolder = path.join(__dirname, '..', '..');
const mixedLines = loadMixedEvents();
const corpus = loadCorpus();

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: CliError;
}

async function runIngest(args: string[], options: { stdin?: string; terminal?: boolean } = {}): Promise<Run> {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdin === undefined });
  stdin.end(options.stdin ?? '');
  let stdout = '';
  let stderr = '';
  const command = ingestCommand({
    stdin,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.terminal ?? false },
    env: {},
  });
  try {
    await command.parseAsync(args, { from: 'user' });
    return { stdout, stderr };
  } catch (error) {
    if (error instanceof CliError) return { stdout, stderr, error };
    throw error;
  }
}

async function rowCount(lake: string, prefix: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT count(*) AS n FROM read_parquet('${lake}/${prefix}/*/*/*/*/*.parquet')`,
    );
    return Number(reader.getRowObjectsJson()[0].n);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('ingestCommand', () => {
  let work: string;
  let lake: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-ingest-'));
    lake = path.join(work, 'lake');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  function inputFile(name: string, lines: readonly string[]): string {
    const file = path.join(work, name);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  it('ingests JSON Lines files and prints records read and rows per channel', async () => {
    const file = inputFile('events.jsonl', mixedLines);

    const run = await runIngest(['--lake', lake, file]);

    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      new RegExp(`^ingested ${mixedLines.length} records into ${lake} \\(events, ingest \\S+\\)\n`),
    );
    const rows = Number(/rows written: (\d+) \(/.exec(run.stdout)?.[1]);
    expect(run.stdout).toMatch(/\(email \d+, media \d+, text \d+, voice \d+, whatsapp \d+\)/);
    expect(run.stdout).toContain('failures: 0\n');
    expect(await rowCount(lake, 'events')).toBe(rows);
  });

  it.each(['--table', '--stream'])(
    'reads stdin when given - and writes conversations when given %s conversations',
    async (flag) => {
      const records = corpus
        .filter((c) => c.group === 'conversations')
        .map((c) => JSON.stringify(JSON.parse(c.rawText)));

      const run = await runIngest(['--lake', lake, flag, 'conversations', '-'], {
        stdin: records.join('\n'),
      });

      expect(run.error).toBeUndefined();
      expect(run.stdout).toContain(`ingested ${records.length} records into ${lake} (conversations,`);
      expect(await rowCount(lake, 'conversations')).toBe(records.length);
    },
  );

  it('ingests a file holding one pretty-printed JSON document as one record, as map reads it', async () => {
    const bounce = corpus.find((c) => c.name === 'ses/bounce');
    const file = inputFile('bounce.json', [JSON.stringify(JSON.parse(bounce?.rawText ?? '{}'), null, 2)]);

    const run = await runIngest(['--lake', lake, file]);

    expect(run.error).toBeUndefined();
    expect(run.stdout).toContain(`ingested 1 records into ${lake} (events,`);
    expect(await rowCount(lake, 'events')).toBe(1);
  });

  it('exits with status 2 naming the table when --table is not one', async () => {
    const run = await runIngest(['--lake', lake, '--table', 'clicks', inputFile('e.jsonl', mixedLines)]);

    expect(run.error).toMatchObject({
      exitStatus: ExitStatus.unusable,
      message: '--table is "clicks", expected events or conversations.',
    });
  });

  it('reports each failure as FILE:LINE: kind: message, lists the errors files and exits with status 1', async () => {
    const file = inputFile('mixed-with-bad.jsonl', [mixedLines[0], '{"broken":', '{"unknown":"shape"}']);

    const run = await runIngest(['--lake', lake, file]);

    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2: unparseable-json: .+`)),
      expect.stringMatching(new RegExp(`^${file}:3: unknown-source: .+`)),
    ]);
    expect(run.stdout).toMatch(
      new RegExp(`failures: 2\n  ${lake}/errors/events/\\d{4}/\\d{2}/\\d{2}/\\d{2}/part-\\S+\\.jsonl\n`),
    );
    expect(run.error).toMatchObject({ name: 'CliError', exitStatus: ExitStatus.recordsFailed });
    expect(run.error?.message).toBe('2 of 3 records failed; they are kept in the errors files listed above');
  });

  it('prints at most 20 failure lines, then how many more there are', async () => {
    const file = inputFile(
      'bad.jsonl',
      Array.from({ length: 27 }, (_, i) => `not json ${i}`),
    );

    const run = await runIngest(['--lake', lake, file]);

    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(21);
    expect(lines[19]).toMatch(new RegExp(`^${file}:20: unparseable-json: `));
    expect(lines[20]).toBe('... and 7 more (all are in the errors files)');
  });

  it('skips identical input with the earlier ingest named, and ingests it again with --force', async () => {
    const file = inputFile('events.jsonl', mixedLines);
    const first = await runIngest(['--lake', lake, file]);
    const firstId = /ingest (\S+)\)/.exec(first.stdout)?.[1];
    const rows = await rowCount(lake, 'events');

    const again = await runIngest(['--lake', lake, file]);
    const forced = await runIngest(['--lake', lake, '--force', file]);

    expect(again.stdout).toMatch(
      new RegExp(
        `^skipped: identical input already ingested on \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z \\(${firstId}\\); use --force to ingest it again\n$`,
      ),
    );
    expect(forced.stdout).toContain(`ingested ${mixedLines.length} records`);
    expect(await rowCount(lake, 'events')).toBe(2 * rows);
  });

  it.each([
    ['a missing file', (work: string) => [path.join(work, 'missing.jsonl')], 'no such file'],
    ['a folder', (work: string) => [work], 'not a file'],
    ['- twice', () => ['-', '-'], '- (stdin) is given more than once'],
  ])('exits with status 2 before ingesting when given %s', async (_name, files, message) => {
    const run = await runIngest(['--lake', lake, ...files(work)], { stdin: '' });

    expect(run.error).toMatchObject({ name: 'CliError', exitStatus: ExitStatus.unusable });
    expect(run.error?.message).toContain(message);
    expect(fs.existsSync(lake)).toBe(false);
  });

  it('exits with status 2 when no file is given and stdin is a terminal', async () => {
    const run = await runIngest(['--lake', lake]);

    expect(run.error?.message).toBe('no input: give JSON Lines files to ingest, or - to read stdin');
    expect(run.error?.exitStatus).toBe(ExitStatus.unusable);
  });

  it('exits with status 2 naming the folder when --templates has no templates', async () => {
    const run = await runIngest(['--lake', lake, '--templates', work, inputFile('e.jsonl', mixedLines)]);

    expect(run.error?.exitStatus).toBe(ExitStatus.unusable);
    expect(run.error?.message).toMatch(new RegExp(`^--templates ${work}: .+`));
  });

  it.each([
    ['shows a progress line on a terminal', true],
    ['stays quiet when stderr is not a terminal', false],
  ])('%s', async (_name, terminal) => {
    const file = inputFile(
      'many.jsonl',
      Array.from({ length: 1200 }, (_, i) => mixedLines[i % mixedLines.length]),
    );

    const run = await runIngest(['--lake', lake, file], { terminal });

    const updates = run.stderr.split('\r\u001b[K').filter(Boolean);
    expect(updates.some((update) => /^1000 records, \d+ records\/s, [\d.]+ MiB$/.test(update))).toBe(
      terminal,
    );
    expect(updates.every((update) => /^\d+ records, /.test(update))).toBe(true);
  });
  it.each([
    ['0 (map on the main thread)', '0'],
    ['2', '2'],
  ])('writes the same rows when given --workers %s', async (_name, workers) => {
    const file = inputFile('events.jsonl', mixedLines);
    const reference = await runIngest(['--lake', path.join(work, 'reference'), file]);

    const run = await runIngest(['--lake', lake, '--workers', workers, file]);

    expect(run.error).toBeUndefined();
    expect(run.stdout.replace(/ingest \S+\)/, '').replace(lake, 'LAKE')).toBe(
      reference.stdout.replace(/ingest \S+\)/, '').replace(path.join(work, 'reference'), 'LAKE'),
    );
    expect(await rowCount(lake, 'events')).toBe(await rowCount(path.join(work, 'reference'), 'events'));
  });

  it.each([['two'], ['-1'], ['65'], ['1.5']])(
    'exits with status 2 before ingesting when given --workers %s',
    async (workers) => {
      const run = await runIngest(['--lake', lake, '--workers', workers, inputFile('e.jsonl', mixedLines)]);

      expect(run.error).toMatchObject({ name: 'CliError', exitStatus: ExitStatus.unusable });
      expect(run.error?.message).toBe(
        `--workers ${workers}: expected a whole number from 0 to 64 (0 maps on the main thread)`,
      );
      expect(fs.existsSync(lake)).toBe(false);
    },
  );

  it('maps in the bundled worker script when the built command ingests with workers', async () => {
    const file = inputFile('mixed-with-bad.jsonl', [...mixedLines, '{"broken":']);
    const built = spawnSync(process.execPath, [path.join(cliFolder, 'build.mjs')], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    expect(fs.existsSync(path.join(cliFolder, 'dist', 'mapping-worker.js'))).toBe(true);

    const run = spawnSync(
      process.execPath,
      [path.join(cliFolder, 'bin', 'engagement-db.js'), 'ingest', '--workers', '2', '--lake', lake, file],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );

    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:${mixedLines.length + 1}: unparseable-json: .+`)),
      `engagement-db: 1 of ${mixedLines.length + 1} records failed; they are kept in the errors files listed above`,
    ]);
    expect(run.status).toBe(ExitStatus.recordsFailed);
    const rows = Number(/rows written: (\d+) \(/.exec(run.stdout)?.[1]);
    expect(run.stdout).toContain(`ingested ${mixedLines.length + 1} records into ${lake} (events,`);
    expect(rows).toBeGreaterThanOrEqual(mixedLines.length);
    expect(await rowCount(lake, 'events')).toBe(rows);
  });
});
