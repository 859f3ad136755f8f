import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMapper } from '@engagement-db/mapper';
import { RecordSpool } from '../src/record-spool';
import { duckdbRows, filesUnder, temporaryFolder } from './lake-test-kit';
import { numberOf } from './spool-records';

const child = path.join(__dirname, 'spool-child.ts');
const trials = 20;

interface Ledger {
  readonly sent: Set<number>;
  readonly acknowledged: Set<number>;
}

function ledgerOf(ackFile: string): Ledger {
  const ledger: Ledger = { sent: new Set(), acknowledged: new Set() };
  for (const line of fs.readFileSync(ackFile, 'utf8').split('\n')) {
    const [what, first, last] = line.split(' ');
    if (what !== 'send' && what !== 'ack') continue;
    for (let n = Number(first); n <= Number(last); n += 1)
      ledger[what === 'ack' ? 'acknowledged' : 'sent'].add(n);
  }
  return ledger;
}

/** Starts the child, waits until it has acknowledged something, then SIGKILLs it `delayMs` later. */
async function runAndKill(lake: string, ackFile: string, delayMs: number): Promise<void> {
  const running = spawn(
    process.execPath,
    ['--conditions=@engagement-db/source', '--import', 'tsx', child, lake, ackFile],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    running.on('exit', (_code, signal) => resolve(signal)),
  );
  while (!(fs.existsSync(ackFile) && fs.readFileSync(ackFile, 'utf8').includes('ack '))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (running.exitCode !== null) throw new Error(`the spool child exited with ${running.exitCode}`);
  }
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  running.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

/** Every record number in the lake: rows by their messageId, failure records by their bytes. */
async function numbersInLake(lake: string): Promise<number[]> {
  const numbers: number[] = [];
  if (filesUnder(path.join(lake, 'conversations')).length > 0) {
    const rows = await duckdbRows(`SELECT messageid FROM read_parquet('${lake}/conversations/**/*.parquet')`);
    numbers.push(...rows.map((row) => numberOf(String(row.messageid))));
  }
  for (const file of filesUnder(path.join(lake, 'errors'))) {
    for (const line of fs.readFileSync(path.join(lake, 'errors', file), 'utf8').split('\n')) {
      if (line === '') continue;
      const { rawData } = JSON.parse(line) as { rawData: string };
      numbers.push(numberOf(Buffer.from(rawData, 'base64').toString('utf8')));
    }
  }
  return numbers;
}

describe('RecordSpool after SIGKILL', () => {
  let work: ReturnType<typeof temporaryFolder>;
  const outcomes: string[] = [];
  beforeAll(() => {
    work = temporaryFolder('engagement-spool-crash-');
  });
  afterAll(() => {
    work.remove();
    process.stdout.write(
      `spool SIGKILL trials (killed after ms: acknowledged / in the lake):\n  ${outcomes.join('\n  ')}\n`,
    );
  });

  it.each(Array.from({ length: trials }, (_, i) => [i + 1, Math.round(Math.random() * 600)]))(
    'trial %i (killed %i ms after the first acknowledgement): every acknowledged record is in the lake exactly once',
    async (trial, delayMs) => {
      const lake = path.join(work.path, `lake-${trial}`);
      const ackFile = path.join(work.path, `acks-${trial}.txt`);

      await runAndKill(lake, ackFile, delayMs);
      const spool = await RecordSpool.open({ lake, table: 'conversations', mapper: createMapper() });
      await spool.deliver();
      await spool.close();

      const { sent, acknowledged } = ledgerOf(ackFile);
      const numbers = await numbersInLake(lake);
      const landed = new Set(numbers);
      const lost = [...acknowledged].filter((n) => !landed.has(n));
      const unknown = numbers.filter((n) => !sent.has(n));
      outcomes.push(
        `trial ${trial} (${delayMs} ms): ${acknowledged.size} acknowledged / ${numbers.length} in the lake ` +
          `(${numbers.length - acknowledged.size} durable but not yet acknowledged when killed)`,
      );
      expect(acknowledged.size).toBeGreaterThan(0);
      expect(lost).toEqual([]);
      expect(numbers.length).toBe(landed.size);
      expect(unknown).toEqual([]);
      expect(filesUnder(path.join(lake, '_spool'))).toEqual([]);
      expect(fs.readdirSync(path.join(lake, '_staging'))).toEqual([]);
    },
  );
});
