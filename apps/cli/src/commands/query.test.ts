import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbColumnsOf, eventTable, partitionPathOf } from '@engagement-db/canonical-model';
import { adoptDataFiles } from '@engagement-db/lake';
import { formatRows } from '../query-output';
import { queryCommand } from './query';

const jan8at2330 = Date.UTC(2025, 0, 8, 23, 30, 43, 271);

const storedEvents = [
  {
    channel: 'email',
    status: 'Send',
    timestamp: jan8at2330,
    channeldata: { subject: 'Hello, "friend"\nbye' },
  },
  { channel: 'text', status: 'DELIVERED', timestamp: jan8at2330 + 60_000, channeldata: null },
  { channel: 'text', status: 'BLOCKED', timestamp: jan8at2330 + 3_600_000, channeldata: null },
];

async function writeEventLake(lake: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const columns = duckdbColumnsOf(eventTable);
  for (const event of storedEvents) {
    const folder = path.join(lake, 'events', partitionPathOf(event.timestamp));
    fs.mkdirSync(folder, { recursive: true });
    const source = path.join(folder, '.row.json');
    fs.writeFileSync(source, JSON.stringify({ ...event, rawevent: '{}', eventid: `e-${event.timestamp}` }));
    const spec = columns.map((c) => `${c.name}: '${c.type}'`).join(', ');
    await connection.run(
      `COPY (SELECT * FROM read_json('${source}', columns = {${spec}})) TO '${path.join(folder, `part-${event.timestamp}.parquet`)}' (FORMAT parquet)`,
    );
    fs.rmSync(source);
  }
  connection.closeSync();
  instance.closeSync();
  // Written by hand, the files are made part of the lake as `engagement-db adopt` does.
  await adoptDataFiles(lake);
}

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

async function runQuery(
  args: string[],
  options: { stdin?: string; terminal?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  let stdout = '';
  let stderr = '';
  const command = queryCommand({
    stdin,
    stdout: { write: (text: string) => (stdout += text), isTTY: options.terminal ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
  });
  await command.parseAsync(args, { from: 'user' });
  return { stdout, stderr };
}

/**
 * Makes a folder and everything in it read-only for this process. Permissions alone do not stop
 * root, so as root the files are also made immutable (`chattr +i`, which root obeys).
 */
function makeReadOnly(folder: string): void {
  execFileSync('chmod', ['-R', 'a-w', folder]);
  if (process.getuid?.() === 0) execFileSync('chattr', ['-R', '+i', folder]);
}

function makeWritable(folder: string): void {
  if (process.getuid?.() === 0) execFileSync('chattr', ['-R', '-i', folder]);
  execFileSync('chmod', ['-R', 'u+w', folder]);
}

describe('queryCommand', () => {
  let lake: string;
  const byChannel =
    'SELECT channel, count(*) AS events FROM "engagementdb-events-table" GROUP BY 1 ORDER BY 1';

  beforeAll(async () => {
    lake = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-query-'));
    await writeEventLake(lake);
  });

  afterAll(() => {
    fs.rmSync(lake, { recursive: true, force: true });
  });

  it('prints one JSON object per row when stdout is not a terminal', async () => {
    const run = await runQuery(['--lake', lake, byChannel]);

    expect(run.stdout).toBe('{"channel":"email","events":1}\n{"channel":"text","events":2}\n');
  });

  it('prints an aligned table on a terminal', async () => {
    const run = await runQuery(['--lake', lake, byChannel], { terminal: true });

    expect(run.stdout).toBe(
      ['channel | events', '--------+-------', 'email   |      1', 'text    |      2', '(2 rows)', ''].join(
        '\n',
      ),
    );
  });

  it('quotes CSV fields holding commas, quotes and line breaks as RFC 4180 says', async () => {
    const sql = `SELECT channeldata['subject'] AS subject, status FROM "engagementdb-events-table" ORDER BY timestamp`;

    const run = await runQuery(['--lake', lake, '--format', 'csv', sql]);

    expect(run.stdout).toBe('subject,status\r\n"Hello, ""friend""\nbye",Send\r\n,DELIVERED\r\n,BLOCKED\r\n');
  });

  it('reads the SQL from -f FILE', async () => {
    const file = path.join(lake, '_by-channel.sql');
    fs.writeFileSync(file, byChannel);

    const run = await runQuery(['--lake', lake, '--format', 'json', '-f', file]);

    expect(run.stdout).toBe('{"channel":"email","events":1}\n{"channel":"text","events":2}\n');
  });

  it('reads the SQL from stdin when neither the argument nor -f is given', async () => {
    const run = await runQuery(['--lake', lake], {
      stdin: 'SELECT count(*) AS n FROM "engagementdb-events-table"',
    });

    expect(run.stdout).toBe('{"n":3}\n');
  });

  it('finds the lake through ENGAGEMENT_DB_LAKE when --lake is absent', async () => {
    const run = await runQuery(['SELECT count(*) AS n FROM "engagementdb-events-table"'], {
      env: { ENGAGEMENT_DB_LAKE: lake },
    });

    expect(run.stdout).toBe('{"n":3}\n');
  });

  it('runs Athena SQL with the Glue names, DATE_ADD and DATE_TRUNC', async () => {
    const sql = `SELECT DATE_TRUNC('hour', ingest_timestamp) AS time_window, count(*) AS n
      FROM "engagementdb-glue-db"."engagementdb-events-table"
      WHERE ingest_timestamp >= DATE_ADD('day', -1, TIMESTAMP '2025-01-09 00:00:00') GROUP BY 1 ORDER BY 1`;

    const run = await runQuery(['--lake', lake, sql]);

    expect(run.stdout).toBe(
      '{"time_window":"2025-01-08 23:00:00.000","n":2}\n{"time_window":"2025-01-09 00:00:00.000","n":1}\n',
    );
  });

  it.each([
    [['SELEC 1'], 'Parser Error: syntax error at or near "SELEC"'],
    [['SELECT nope FROM "engagementdb-events-table"'], 'Referenced column "nope" not found'],
    [['--format', 'xml', 'SELECT 1'], 'query: --format is "xml", expected table, json or csv.'],
    [['-f', 'x.sql', 'SELECT 1'], 'query: give the SQL either as the argument or with -f FILE, not both.'],
    [['-f', '/nonexistent/x.sql'], 'query: cannot read the SQL file /nonexistent/x.sql: ENOENT'],
    [['   '], 'query: the SQL is empty; give a query to run.'],
    [
      ["COPY (SELECT 1) TO '/tmp/engagement-db-query-copy.csv'"],
      'Only statements that read run here, one per query (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW); the SQL starting with COPY holds another kind',
    ],
    [["SELECT * FROM read_text('/etc/passwd')"], 'Permission Error: Cannot access file "/etc/passwd"'],
    [['INSTALL httpfs'], 'the SQL starting with INSTALL holds another kind'],
    [['SET enable_external_access = true'], 'the SQL starting with SET holds another kind'],
    [['SELECT 1; SELECT 2'], 'Only one SQL statement is allowed per query, got 2.'],
    [['SELECT 7 / 0'], 'Invalid Input Error: Division by zero'],
    [
      ['--timeout', '0.2', 'SELECT count(*) FROM range(1000000) a, range(1000000) b'],
      "the query was stopped after 0.2 s, the engine's time limit",
    ],
    [
      ['--memory-limit', '64MB', 'SELECT count(DISTINCT range) FROM range(50000000)'],
      "the query needs more memory than the engine's limit of 64MB: Out of Memory Error",
    ],
    [
      ['--timeout', 'soon', 'SELECT 1'],
      'query: --timeout is "soon"; expected seconds above 0, e.g. --timeout 30',
    ],
    [['--memory-limit', 'lots', 'SELECT 1'], 'openQueryEngine: limits.memory is "lots"'],
  ])('fails with exit status 2 and the message for %j', async (args, message) => {
    const running = runQuery(['--lake', lake, ...args]);

    await expect(running).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: expect.stringContaining(message),
    });
  });
});

describe('queryCommand and the lake folder', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-query-lake-'));
  });

  afterEach(() => {
    makeWritable(root);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fails with exit status 2 and "no lake at" when the lake folder does not exist', async () => {
    const missing = path.join(root, 'missing');

    const running = runQuery(['--lake', missing, 'SELECT 1']);

    await expect(running).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: `no lake at ${missing}: the folder does not exist; pass the folder that ingest or serve wrote the lake into.`,
    });
  });

  it("fails with exit status 2 for --lake '' rather than reading another lake", async () => {
    const running = runQuery(['--lake', '', 'SELECT 1']);

    await expect(running).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: 'the lake path is empty; give the lake folder, such as ./engagement-lake.',
    });
  });

  it.each(['\\', '[', '*', '?'])('fails with exit status 2 for a lake path holding %s', async (character) => {
    const lake = path.join(root, `lake${character}1`);
    await writeEventLake(lake);

    const running = runQuery(['--lake', lake, 'SELECT 1']);

    await expect(running).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: `the lake path ${lake} contains '${character}', which DuckDB reads as part of a file pattern; use a lake folder whose path has none of \\ * ? [`,
    });
  });

  it('leaves the lake as it was when a query tries to overwrite a lake file', async () => {
    const lake = path.join(root, 'lake');
    await writeEventLake(lake);
    const file = path.join(
      lake,
      'events',
      String(
        fs
          .readdirSync(path.join(lake, 'events'), { recursive: true })
          .find((f) => String(f).endsWith('.parquet')),
      ),
    );
    const before = fs.readFileSync(file);

    const running = runQuery([
      '--lake',
      lake,
      `COPY (SELECT * FROM "engagementdb-events-table" LIMIT 1) TO '${file}' (FORMAT parquet)`,
    ]);

    await expect(running).rejects.toMatchObject({ name: 'CliError', exitStatus: 2 });
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('answers from a read-only lake, leaving an interrupted ingest for the writer, with a note', async () => {
    const lake = path.join(root, 'lake');
    await writeEventLake(lake);
    const interrupted = path.join(lake, '_staging', 'interrupted-ingest');
    fs.mkdirSync(interrupted, { recursive: true });
    fs.writeFileSync(path.join(interrupted, 'part-0.parquet'), 'staged');
    makeReadOnly(lake);
    expect(() => fs.writeFileSync(path.join(interrupted, 'probe'), '')).toThrow(/EACCES|EPERM/);

    const run = await runQuery(['--lake', lake, 'SELECT count(*) AS n FROM "engagementdb-events-table"']);

    expect(run.stdout).toBe('{"n":3}\n');
    expect(run.stderr).toMatch(
      new RegExp(
        `^engagement-db: note: ${lake} is not writable \\((EACCES|EPERM)\\), so ingests interrupted while committing are not recovered; ingest or serve recovers them\\.\n$`,
      ),
    );
    expect(fs.existsSync(interrupted)).toBe(true);
  });

  it('recovers an interrupted ingest before answering when the lake is writable', async () => {
    const lake = path.join(root, 'lake');
    await writeEventLake(lake);
    const interrupted = path.join(lake, '_staging', 'interrupted-ingest');
    fs.mkdirSync(interrupted, { recursive: true });

    const run = await runQuery(['--lake', lake, 'SELECT count(*) AS n FROM "engagementdb-events-table"']);

    expect(run).toEqual({ stdout: '{"n":3}\n', stderr: '' });
    expect(fs.existsSync(interrupted)).toBe(false);
  });
});

describe('formatRows', () => {
  const columns = [
    { name: 'tags', type: 'map(varchar, varchar)' },
    { name: 'price', type: 'decimal(10,4)' },
  ];

  it.each([
    ['json', '{"tags":{"a":"1"},"price":0.5}\n{"tags":null,"price":null}\n'],
    ['csv', 'tags,price\r\n"{""a"":""1""}",0.5\r\n,\r\n'],
    ['table', 'tags      | price\n----------+------\n{"a":"1"} |   0.5\nNULL      |  NULL\n(2 rows)\n'],
  ] as const)('writes maps as JSON text and nulls plainly in %s', (format, expected) => {
    const text = formatRows(format, columns, [
      { tags: { a: '1' }, price: 0.5 },
      { tags: null, price: null },
    ]);

    expect(text).toBe(expected);
  });
});
