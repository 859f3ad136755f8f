import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { loadCorpus } from '@engagement-db/corpus';
import { type QueryEngine, openQueryEngine } from '@engagement-db/sql';
import { queryEngineOf } from '../src/shared-options';
import { runProgram } from './run-program';

const appRoot = path.join(__dirname, '..');
const bin = path.join(appRoot, 'bin', 'engagement-db.js');
const sms = JSON.parse(loadCorpus().find((c) => c.name === 'sms/text-delivered')?.rawText ?? '') as object;
const firstHour = Date.UTC(2025, 2, 1);
const hourMs = 3_600_000;
const perPartition =
  'SELECT ingest_timestamp, count(*) AS n FROM "engagementdb-events-table" GROUP BY 1 ORDER BY 1';

/** One SMS event in each of `hours` hours: an ingest of them adds one row to each of `hours` partitions. */
function eventsOverHours(hours: number, batch = 0): string[] {
  return Array.from({ length: hours }, (_, h) =>
    JSON.stringify({ ...sms, eventTimestamp: firstHour + h * hourMs + 1000, messageId: `m-${batch}-${h}` }),
  );
}

async function partitionCounts(engine: QueryEngine): Promise<number[]> {
  const result = await engine.query(perPartition);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows.map((row) => Number(row.n));
}

/**
 * What a reader may see of a lake that `writes` ingests whole into: every partition holding the same
 * number of rows (none before the first). Returns each answer's count per partition.
 */
function expectWholeIngests(answers: readonly number[][], hours: number): void {
  for (const counts of answers) {
    if (counts.length === 0) continue;
    expect({ partitions: counts.length, counts: new Set(counts).size }).toEqual({
      partitions: hours,
      counts: 1,
    });
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('close', (code) => resolve(code)));
}

describe('a consistent snapshot for readers', () => {
  let work: string;
  beforeAll(() => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'pipe' });
  });
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-snapshot-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  /**
   * Puts the last committed ingest back in the state of its commit after `moved` of its files were
   * moved into place: what a reader sees while that commit runs.
   */
  function interruptLastCommit(lake: string, moved: number): void {
    const ingests = path.join(lake, '_ingests');
    const manifestName = fs.readdirSync(ingests).sort().at(-1) as string;
    const manifest = JSON.parse(fs.readFileSync(path.join(ingests, manifestName), 'utf8')) as {
      dataFiles: string[];
    };
    const staging = path.join(lake, '_staging', manifestName.replace(/\.json$/, ''));
    fs.mkdirSync(staging, { recursive: true });
    fs.renameSync(path.join(ingests, manifestName), path.join(staging, '_commit.json'));
    for (const file of manifest.dataFiles.slice(moved)) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.renameSync(path.join(lake, file), path.join(staging, file));
    }
  }

  it('shows none of an ingest whose files are being moved into place, where a scan of the folders shows some', async () => {
    const lake = path.join(work, 'lake');
    const input = path.join(work, 'events.jsonl');
    fs.writeFileSync(input, eventsOverHours(24).join('\n'));
    for (let i = 0; i < 2; i += 1)
      expect((await runProgram(['ingest', '--force', '--lake', lake, input])).status).toBe(0);
    interruptLastCommit(lake, 10);

    const snapshot = await queryEngineOf(lake);
    const folders = await openQueryEngine({ lake });
    const [seen, scanned] = [await partitionCounts(snapshot), await partitionCounts(folders)];
    snapshot.close();
    folders.close();

    expect(seen).toEqual(Array(24).fill(1));
    expect(scanned).toEqual([...Array(10).fill(2), ...Array(14).fill(1)]);
  });

  it('answers a query running in a loop with the lake before or after each ingest committed by another process, never between', async () => {
    const hours = 240;
    const ingests = 6;
    const lake = path.join(work, 'lake');
    const input = path.join(work, 'events.jsonl');
    fs.writeFileSync(input, eventsOverHours(hours).join('\n'));
    fs.mkdirSync(lake);
    const engine = await queryEngineOf(lake);
    const answers: number[][] = [];
    let writing = true;
    const writer = (async () => {
      try {
        for (let i = 0; i < ingests; i += 1) {
          const child = spawn(process.execPath, [bin, 'ingest', '--force', '--lake', lake, input], {
            stdio: 'ignore',
          });
          expect(await exitOf(child)).toBe(0);
        }
      } finally {
        writing = false;
      }
    })();

    try {
      while (writing) answers.push(await partitionCounts(engine));
      await writer;
      answers.push(await partitionCounts(engine));
    } finally {
      engine.close();
    }

    expectWholeIngests(answers, hours);
    const wholeIngests = answers.map((counts) => counts[0] ?? 0);
    expect(wholeIngests).toEqual([...wholeIngests].sort((a, b) => a - b));
    expect(wholeIngests.at(-1)).toBe(ingests);
    expect(answers.length).toBeGreaterThan(ingests);
  }, 240_000);

  it('answers a query running in a loop with whole deliveries while serve delivers', async () => {
    const hours = 120;
    const batches = 12;
    const lake = path.join(work, 'lake');
    fs.mkdirSync(lake);
    const serve = spawn(
      process.execPath,
      [bin, 'serve', '--port', '0', '--lake', lake, '--buffer-interval', '0.2'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = exitOf(serve);
    let output = '';
    const url = new Promise<string>((resolve) => {
      serve.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Firehose endpoint (http:\/\/\S+) /.exec(output);
        if (match) resolve(match[1]);
      });
    });
    const client = new FirehoseClient({
      endpoint: await url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    });
    const engine = await queryEngineOf(lake);
    const answers: number[][] = [];
    let sending = true;
    const sender = (async () => {
      try {
        for (let batch = 0; batch < batches; batch += 1) {
          const records = eventsOverHours(hours, batch).map((line) => ({ Data: Buffer.from(line) }));
          const sent = await client.send(
            new PutRecordBatchCommand({ DeliveryStreamName: 'engagementdb-events', Records: records }),
          );
          expect(sent.FailedPutCount).toBe(0);
          await new Promise((resolve) => setTimeout(resolve, 150));
        }
      } finally {
        sending = false;
      }
    })();

    try {
      while (sending) answers.push(await partitionCounts(engine));
      await sender;
      serve.kill('SIGTERM');
      expect(await exited).toBe(0);
      answers.push(await partitionCounts(engine));
    } finally {
      client.destroy();
      engine.close();
      serve.kill('SIGKILL');
    }

    expectWholeIngests(answers, hours);
    expect(answers.at(-1)).toEqual(Array(hours).fill(batches));
    expect(answers.length).toBeGreaterThan(batches);
  }, 240_000);
});
