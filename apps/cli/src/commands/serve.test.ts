import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

function clientOf(endpoint: string): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
}

/** The built command running `serve` on `lake` and any port; SIGTERM it when done. */
function startServe(lake: string, args: string[] = []) {
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
      ...args,
    ],
    { stdio: 'pipe' },
  );
  let output = '';
  const watchers: (() => void)[] = [];
  const seen = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  // 'close': the exit status once all the output is read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const nextLine = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(output);
        if (match) {
          watchers.splice(watchers.indexOf(check), 1);
          resolve(match[0]);
        }
      };
      watchers.push(check);
      check();
      void exited.then(() => reject(new Error(`serve exited before printing ${pattern}: ${output}`)));
    });
  const url = nextLine(/Firehose endpoint (http:\/\/[^ ]+) /).then((line) => line.split(' ')[2]);
  url.catch(() => undefined); // a test of a start that fails awaits `exited` instead
  return { child, url, exited, nextLine, output: () => output };
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

    it('delivers what it spooled to the lake when it gets SIGTERM', async () => {
      const running = startServe(lake);
      const client = clientOf(await running.url);

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
      running.child.kill('SIGTERM');
      const code = await running.exited;

      const expectedIds = eventCases
        .flatMap((c) => (c.expected as { eventId: string }[]).map((row) => row.eventId))
        .sort()
        .map((eventid) => ({ eventid }));
      expect(batch.FailedPutCount).toBe(0);
      expect(lakeBeforeSignal).toEqual([]);
      expect(code).toBe(0);
      expect(running.output()).toMatch(
        /point an AWS SDK at it with new FirehoseClient\(\{ endpoint: 'http:\/\/127\.0\.0\.1:\d+', region: 'us-east-1' \}\)/,
      );
      expect(running.output()).toMatch(/SIGTERM: delivering spooled records and stopping/);
      expect(running.output()).toMatch(
        new RegExp(`engagementdb-events: delivered ${eventCases.length} records as \\d+ rows`),
      );
      expect(await countRows(`${lake}/events/**/*.parquet`)).toEqual(expectedIds);
      expect(await conversationCount(lake)).toBe(1);
    });

    /** Conversation records `first`..`first + count - 1`, each one row with messageId `ack-n`. */
    function conversations(first: number, count: number): { Data: Buffer }[] {
      const template = JSON.parse(conversationCases[0].rawText) as Record<string, unknown>;
      return Array.from({ length: count }, (_, i) => ({
        Data: Buffer.from(JSON.stringify({ ...template, messageId: `ack-${first + i}` })),
      }));
    }

    /** Puts `count` conversation records in batches of 500; returns how many were acknowledged. */
    async function putConversations(url: string, count: number): Promise<number> {
      const client = clientOf(url);
      let acknowledged = 0;
      try {
        for (let first = 0; first < count; first += 500) {
          const answer = await client.send(
            new PutRecordBatchCommand({
              DeliveryStreamName: canonicalTables.conversations.deliveryStreamName,
              Records: conversations(first, Math.min(500, count - first)),
            }),
          );
          acknowledged += (answer.RequestResponses ?? []).filter((entry) => entry.RecordId).length;
        }
      } finally {
        client.destroy();
      }
      return acknowledged;
    }

    it('keeps what it acknowledged when killed with SIGKILL, and delivers it when started again', async () => {
      const first = startServe(lake);
      const acknowledged = await putConversations(await first.url, 1000);
      first.child.kill('SIGKILL');
      await first.exited;
      const rowsAfterKill = await conversationCount(lake).catch(() => 0);

      const second = startServe(lake);
      await second.url;
      await second.nextLine(/delivered 1000 records/);
      second.child.kill('SIGTERM');

      expect(acknowledged).toBe(1000);
      expect(rowsAfterKill).toBe(0);
      expect(second.output()).toMatch(
        /engagementdb-conversations: 1000 records left in the spool by an earlier run; delivering them/,
      );
      expect(await second.exited).toBe(0);
      expect(await conversationCount(lake)).toBe(1000);
    });

    it('delivers what it spooled and exits 0 when its terminal closes (SIGHUP)', async () => {
      const running = startServe(lake);
      const acknowledged = await putConversations(await running.url, 700);

      running.child.kill('SIGHUP');

      expect(await running.exited).toBe(0);
      expect(running.output()).toMatch(/SIGHUP: delivering spooled records and stopping/);
      expect(await conversationCount(lake)).toBe(acknowledged);
    });

    it('stops at once on a second SIGINT, exits 1, and delivers the spool when started again', async () => {
      // A buffer that never fills: every record is still in the spool when the signals come.
      const running = startServe(lake, ['--buffer-size', '100']);
      const acknowledged = await putConversations(await running.url, 20_000);

      running.child.kill('SIGINT');
      await running.nextLine(/SIGINT: delivering spooled records/);
      running.child.kill('SIGINT');
      const code = await running.exited;
      const again = startServe(lake);
      await again.url;
      await again.nextLine(/delivered \d+ records/);
      again.child.kill('SIGTERM');

      expect(code).toBe(1);
      expect(running.output()).toMatch(
        new RegExp(
          `engagement-db: SIGINT: stopped at once; 20000 records stay in the spool of ${lake} and are delivered when serve starts again`,
        ),
      );
      expect(await again.exited).toBe(0);
      expect(await conversationCount(lake)).toBe(acknowledged);
    });

    it('exits 1 naming what it could not deliver when the lake fails, and keeps it for the next start', async () => {
      const running = startServe(lake);
      const url = await running.url;
      // A file where the conversations folder should be: the delivery fails when it moves its files into place.
      writeFileSync(join(lake, 'conversations'), 'not a folder');
      const acknowledged = await putConversations(url, 300);

      running.child.kill('SIGTERM');
      const code = await running.exited;
      rmSync(join(lake, 'conversations'));
      const again = startServe(lake);
      await again.url;
      again.child.kill('SIGTERM');

      expect(code).toBe(1);
      expect(running.output()).toMatch(
        /engagementdb-conversations: delivery of 300 records failed, kept in the spool for the next try/,
      );
      expect(running.output()).toMatch(
        new RegExp(
          `engagement-db: 300 records could not be delivered to ${lake} \\(see the log above\\); they stay in its spool`,
        ),
      );
      expect(await again.exited).toBe(0);
      expect(await conversationCount(lake)).toBe(acknowledged);
    });

    it('refuses to start, exit status 2, on a lake it cannot write', async () => {
      const file = join(lake, 'not-a-folder');
      writeFileSync(file, 'x');

      const running = startServe(file);

      expect(await running.exited).toBe(2);
      expect(running.output()).toBe(
        `engagement-db: Lake ${file} is a file, expected a folder. Pass --lake (or set ENGAGEMENT_DB_LAKE) to a folder path.\n`,
      );
    });

    it.each([
      [['--host', '0.0.0.0'], true],
      [['--host', '0.0.0.0', '--allow-unauthenticated'], false],
      [['--host', '127.0.0.1'], false],
    ])('warns that requests are not authenticated when given %j: %s', async (args, warned) => {
      const running = startServe(lake, args);
      await running.url;

      running.child.kill('SIGTERM');
      await running.exited;

      expect(
        running
          .output()
          .includes(
            'warning: listening on 0.0.0.0, which other machines can reach; requests are not authenticated',
          ),
      ).toBe(warned);
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
