import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand, PutRecordCommand } from '@aws-sdk/client-firehose';
import { DuckDBInstance } from '@duckdb/node-api';
import { canonicalTables } from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { serveCommand } from './serve';

const appRoot = join(__dirname, '..', '..');
const corpus = loadCorpus();
const eventCases = corpus.filter((c) => c.table === 'events' && c.expected !== null);
const conversationCases = corpus.filter((c) => c.table === 'conversations' && c.expected !== null);

async function countRows(glob: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT eventid FROM read_parquet('${glob}') ORDER BY eventid`,
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function conversationCount(lake: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${lake}/conversations/**/*.parquet')`,
    );
    return (reader.getRowObjectsJson()[0] as { n: number }).n;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Collects a child's output and resolves when a line matching `pattern` has been printed. */
function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout.off('data', onData);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the command exited with ${code} before printing ${pattern}: ${seen}`)),
    );
  });
}

describe('engagement-db serve', () => {
  let lake: string;

  beforeEach(() => {
    lake = mkdtempSync(join(tmpdir(), 'engagement-db-serve-command-'));
  });

  afterEach(() => {
    rmSync(lake, { recursive: true, force: true });
  });

  describe('as the built command', () => {
    beforeAll(() => {
      execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'pipe' });
    });

    it('delivers what it buffered to the lake when it gets SIGTERM', async () => {
      const child = spawn(
        process.execPath,
        [
          join(appRoot, 'bin', 'engagement-db.js'),
          'serve',
          '--port',
          '0',
          '--lake',
          lake,
          '--buffer-interval',
          '900',
        ],
        { stdio: 'pipe' },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const [, url] = await waitForOutput(child, /Firehose endpoint (http:\/\/127\.0\.0\.1:\d+) /);
      const client = new FirehoseClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
        maxAttempts: 1,
      });

      const batch = await client.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: canonicalTables.events.deliveryStreamName,
          Records: eventCases.map((c) => ({ Data: Buffer.from(c.rawText) })),
        }),
      );
      await client.send(
        new PutRecordCommand({
          DeliveryStreamName: canonicalTables.conversations.deliveryStreamName,
          Record: { Data: Buffer.from(conversationCases[0].rawText) },
        }),
      );
      client.destroy();
      const lakeBeforeSignal = await countRows(`${lake}/events/**/*.parquet`).catch(() => []);
      child.kill('SIGTERM');
      const code = await exited;

      const expectedIds = eventCases
        .flatMap((c) => (c.expected as { eventId: string }[]).map((row) => row.eventId))
        .sort()
        .map((eventid) => ({ eventid }));
      expect(batch.FailedPutCount).toBe(0);
      expect(lakeBeforeSignal).toEqual([]);
      expect(code).toBe(0);
      expect(output).toMatch(
        /point an AWS SDK at it with new FirehoseClient\(\{ endpoint: 'http:\/\/127\.0\.0\.1:\d+', region: 'us-east-1' \}\)/,
      );
      expect(output).toMatch(/SIGTERM: delivering buffered records and stopping/);
      expect(output).toMatch(
        new RegExp(`engagementdb-events: delivered ${eventCases.length} records as \\d+ rows`),
      );
      expect(await countRows(`${lake}/events/**/*.parquet`)).toEqual(expectedIds);
      expect(await conversationCount(lake)).toBe(1);
    });
  });

  it.each([
    {
      args: ['--port', 'abc'],
      message: '--port is "abc"; expected a whole number from 0 to 65535 (0: any free port)',
    },
    {
      args: ['--port', '65536'],
      message: '--port is "65536"; expected a whole number from 0 to 65535 (0: any free port)',
    },
    {
      args: ['--buffer-size', '0'],
      message: '--buffer-size is "0"; expected a positive number of MiB, e.g. 5 or 0.5',
    },
    {
      args: ['--buffer-interval', '-1'],
      message: '--buffer-interval is "-1"; expected a non-negative number of seconds, e.g. 60',
    },
  ])('refuses $args with CliError, exit status 2', async ({ args, message }) => {
    const running = serveCommand().parseAsync(['--lake', lake, ...args], { from: 'user' });

    await expect(running).rejects.toMatchObject({ name: 'CliError', exitStatus: 2, message });
  });

  it('refuses a port in use with CliError, exit status 2', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;

    const running = serveCommand().parseAsync(['--lake', lake, '--port', String(port)], { from: 'user' });

    await expect(running).rejects.toMatchObject({
      name: 'CliError',
      exitStatus: 2,
      message: `cannot listen on 127.0.0.1:${port}: EADDRINUSE; pass another port (0 for any free one) or host, or stop what is using it`,
    });
    await new Promise((resolve) => taken.close(resolve));
  });
});
