import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { defaultTemplateSources } from '@engagement-db/mapper';
import { loadCorpus, mixedEventsPath } from '@engagement-db/corpus';
import { CliError } from '../cli-error';
import { mapCommand } from './map';

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly rows: Record<string, unknown>[];
  readonly error?: unknown;
}

async function runMap(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  let stdout = '';
  let stderr = '';
  const command = mapCommand({
    stdin,
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
  });
  let error: unknown;
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (caught) {
    error = caught;
  }
  const rows = stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stdout, stderr, rows, error };
}

const corpus = loadCorpus();
const wellFormed = corpus.filter((c) => c.expected !== null);
const malformed = corpus.filter((c) => c.expected === null);

describe('mapCommand', () => {
  let folder: string;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-map-'));
  });

  afterAll(() => {
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it.each(wellFormed.map((c) => [c.name, c] as const))(
    'maps the fixture file %s to its expected rows',
    async (_name, fixture) => {
      const result = await runMap(['--table', fixture.table, fixture.rawPath]);

      expect(result.error).toBeUndefined();
      expect(result.stderr).toBe('');
      expect(result.rows).toEqual(fixture.expected);
    },
  );

  it.each(malformed.map((c) => [c.name, c] as const))(
    'reports the malformed file %s and exits with 1',
    async (_name, fixture) => {
      const result = await runMap(['--table', fixture.table, fixture.rawPath]);

      expect(result.rows).toEqual([]);
      expect(result.stderr).toMatch(
        new RegExp(
          `^${escapeRegExp(fixture.rawPath)}:1: (unparseable-json|unknown-source|invalid-record): .+\\n$`,
        ),
      );
      expect(result.error).toBeInstanceOf(CliError);
      expect(result.error).toMatchObject({
        name: 'CliError',
        exitStatus: 1,
        message: 'map: 1 of 1 records failed',
      });
    },
  );

  it('maps the mixed JSON Lines corpus to the rows of every fixture, in order', async () => {
    const mixed = mixedEventsPath;
    const expected = corpus
      .filter((c) => c.table === 'events' && c.expected !== null)
      .sort((a, b) => a.rawPath.localeCompare(b.rawPath))
      .flatMap((c) => (c.expected ?? []) as Record<string, unknown>[]);

    const result = await runMap([mixed]);

    expect(result.error).toBeUndefined();
    const withoutRawText = (row: Record<string, unknown>) => ({
      ...row,
      rawEvent: undefined,
      eventId: undefined,
    });
    expect(result.rows.map(withoutRawText)).toEqual(expected.map(withoutRawText));
  });

  it('writes the good records and reports each bad one with its line', async () => {
    const good = corpus.find((c) => c.name === 'sms/text-delivered');
    const input = [
      '',
      JSON.stringify(JSON.parse(good?.rawText ?? '')),
      '{"broken": ',
      '[]',
      JSON.stringify({ hello: 'world' }),
    ].join('\n');
    const file = path.join(folder, 'some-bad.jsonl');
    fs.writeFileSync(file, input);

    const result = await runMap([file]);

    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({ channel: 'text', status: 'TEXT_DELIVERED' });
    expect(result.stderr.split('\n').filter((line) => line !== '')).toEqual([
      expect.stringMatching(new RegExp(`^${escapeRegExp(file)}:3: unparseable-json: record is not JSON`)),
      expect.stringMatching(new RegExp(`^${escapeRegExp(file)}:4: unknown-source: `)),
      expect.stringMatching(new RegExp(`^${escapeRegExp(file)}:5: unknown-source: no known event`)),
    ]);
    expect(result.error).toMatchObject({ exitStatus: 1, message: 'map: 3 of 4 records failed' });
  });

  it.each([
    ['no file', [] as string[]],
    ['"-"', ['-']],
  ])('reads stdin when given %s', async (_what, args) => {
    const send = corpus.find((c) => c.name === 'ses/send');

    const result = await runMap(args, { stdin: send?.rawText });

    expect(result.error).toBeUndefined();
    expect(result.rows).toEqual(send?.expected);
  });

  it('reports stdin records as <stdin>:LINE', async () => {
    const result = await runMap([], { stdin: '\n\nnot json\n' });

    expect(result.stderr).toMatch(/^<stdin>:3: unparseable-json: /);
  });

  it('still takes the table from --stream, the former name of --table', async () => {
    const conversation = wellFormed.find((c) => c.table === 'conversations');

    const result = await runMap(['--stream', 'conversations', conversation?.rawPath ?? '']);

    expect(result.error).toBeUndefined();
    expect(result.rows).toEqual(conversation?.expected);
  });

  it('takes the account id from --account-id, then from AWS_ACCOUNT_ID', async () => {
    const sms = JSON.stringify({
      eventType: 'TEXT_DELIVERED',
      eventTimestamp: 1741966205377,
      messageId: 'm-1',
    });

    const fromOption = await runMap(['--account-id', '111'], { stdin: sms, env: { AWS_ACCOUNT_ID: '222' } });
    const fromEnv = await runMap([], { stdin: sms, env: { AWS_ACCOUNT_ID: '222' } });
    const fromNothing = await runMap([], { stdin: sms });

    expect(fromOption.rows[0]).toMatchObject({ accountId: '111' });
    expect(fromEnv.rows[0]).toMatchObject({ accountId: '222' });
    expect(fromNothing.rows[0]).toMatchObject({ accountId: null });
  });

  it('maps with the templates of --templates', async () => {
    const templates = path.join(folder, 'templates');
    fs.mkdirSync(templates);
    for (const [name, source] of Object.entries(defaultTemplateSources()))
      fs.writeFileSync(path.join(templates, `${name}.vm`), source);
    fs.writeFileSync(
      path.join(templates, 'ses.vm'),
      '{"channel": "email", "timestamp": 1, "statusMessage": "custom $!{eventType}"}',
    );
    const send = corpus.find((c) => c.name === 'ses/send');

    const result = await runMap(['--templates', templates, send?.rawPath ?? '']);

    expect(result.rows).toEqual([
      expect.objectContaining({ channel: 'email', timestamp: 1, statusMessage: 'custom Send' }),
    ]);
  });

  it.each([
    ['an unknown --table', ['--table', 'things'], '--table is "things", expected events or conversations.'],
    [
      'an unknown --stream',
      ['--stream', 'things'],
      '--stream is "things", expected events or conversations.',
    ],
    [
      'a missing file',
      ['no/such/file.jsonl'],
      'cannot read no/such/file.jsonl: no such file; expected a JSON Lines file or - for stdin',
    ],
  ])('stops with exit status 2 for %s', async (_what, args, message) => {
    const result = await runMap(args);

    expect(result.error).toMatchObject({ name: 'CliError', exitStatus: 2, message });
  });

  it('stops with exit status 2 naming the missing template of --templates', async () => {
    const empty = path.join(folder, 'no-templates');
    fs.mkdirSync(empty);

    const result = await runMap(['--templates', empty]);

    expect(result.error).toMatchObject({ name: 'CliError', exitStatus: 2 });
    expect((result.error as Error).message).toContain(
      `Cannot load template ${path.join(empty, 'ses.vm')}: the file does not exist`,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
