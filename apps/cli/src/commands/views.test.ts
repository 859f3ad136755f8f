import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { analyticsViews } from '@engagement-db/sql';
import { viewsCommand } from './views';

async function runViews(args: string[]): Promise<string> {
  let stdout = '';
  const command = viewsCommand({
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    env: {},
  });
  await command.parseAsync(args, { from: 'user' });
  return stdout;
}

describe('viewsCommand', () => {
  let lake: string;

  beforeEach(() => {
    lake = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-views-'));
  });

  afterEach(() => {
    fs.rmSync(lake, { recursive: true, force: true });
  });

  it('lists both tables and every analytics view with its description and columns', async () => {
    const stdout = await runViews(['--lake', lake]);

    const headers = stdout.split('\n').filter((line) => line.startsWith('"'));
    expect(headers).toEqual([
      '"engagementdb-glue-db"."engagementdb-events-table" (table)',
      '"engagementdb-glue-db"."engagementdb-conversations-table" (table)',
      ...analyticsViews.map((view) => `"engagementdb-glue-db"."${view.name}" (view)`),
    ]);
    expect(stdout).toMatch(/\n {4}ingest_timestamp +timestamp\n/);
    expect(stdout).toContain(`  ${analyticsViews[0].description}\n`);
  });

  it('shows one view with every column and its Athena type', async () => {
    const stdout = await runViews(['--lake', lake, 'sms_message_status']);

    const view = analyticsViews.find((v) => v.name === 'sms_message_status');
    const columns = stdout
      .split('\n')
      .filter((line) => line.startsWith('    '))
      .map((line) => line.trim().split(/  +/));
    expect(columns).toEqual(view?.columns.map((c) => [c.name, c.type.replace(',', ', ')]));
  });

  it('fails with exit status 2 for a name that is neither a table nor a view', async () => {
    await expect(runViews(['--lake', lake, 'sms_status'])).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: 'views: there is no table or view "sms_status"; run `engagement-db views` to list them.',
    });
  });
});

describe('the built engagement-db command', () => {
  const bin = path.join(__dirname, '..', '..', 'bin', 'engagement-db.js');
  let lake: string;

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(__dirname, '..', '..', 'build.mjs')], { stdio: 'pipe' });
    lake = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-views-built-'));
  });

  afterAll(() => {
    fs.rmSync(lake, { recursive: true, force: true });
  });

  it('finds the view files from its bundle and answers a query on a view', () => {
    const listed = execFileSync(process.execPath, [bin, 'views', '--lake', lake], { encoding: 'utf8' });
    const queried = execFileSync(
      process.execPath,
      [
        bin,
        'query',
        '--lake',
        lake,
        '--format',
        'json',
        'SELECT count(*) AS n FROM whatsapp_conversation_view',
      ],
      { encoding: 'utf8' },
    );

    expect(listed.split('\n').filter((line) => line.endsWith('(view)'))).toHaveLength(analyticsViews.length);
    expect(queried).toBe('{"n":0}\n');
  });

  it('exits 2 with the message when a query runs past --timeout', () => {
    const run = spawnSync(
      process.execPath,
      [
        bin,
        'query',
        '--lake',
        lake,
        '--timeout',
        '0.2',
        'SELECT count(*) FROM range(1000000) a, range(1000000) b',
      ],
      { encoding: 'utf8' },
    );

    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "engagement-db: the query was stopped after 0.2 s, the engine's time limit; narrow it (a filter on ingest_timestamp reads fewer files) or raise the limit.\n",
    );
  });
});
