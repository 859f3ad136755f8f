import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMapper } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { distinctEventLines, mixedEventLines, recordsOf, snapshotOf, temporaryFolder } from './lake-test-kit';

const child = path.join(__dirname, 'ingest-child.ts');
const workers = 2;
// The failing ingest ran for hours before this bound was set; a prompt exit takes a few seconds.
const promptMs = 20_000;

interface Outcome {
  readonly exitCode: number | null;
  readonly output: string;
  readonly ms: number;
}

function runIngestChild(lake: string, input: string, fault: string, chunkRows: number): Promise<Outcome> {
  const started = Date.now();
  const running = spawn(
    process.execPath,
    [
      '--conditions=@engagement-db/source',
      '--import',
      'tsx',
      child,
      lake,
      input,
      String(chunkRows),
      String(workers),
      fault,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  running.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => running.kill('SIGKILL'), promptMs);
  return new Promise((resolve) => {
    running.on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, output, ms: Date.now() - started });
    });
  });
}

describe('a failing ingest with mapping workers', () => {
  let work: ReturnType<typeof temporaryFolder>;
  let input: string;
  beforeAll(() => {
    work = temporaryFolder('engagement-failing-ingest-');
    // 20,000 records with distinct ids, so every chunk is new rows while both workers map.
    const records = distinctEventLines(20_000);
    input = path.join(work.path, 'input.jsonl');
    fs.writeFileSync(input, records.join('\n') + '\n');
  });
  afterAll(() => work.remove());

  it.each<[string, string, number, RegExp]>([
    // One chunk, converted at the end: the first hour fails while the other DuckDB connection
    // converts the next one, as a row DuckDB cannot read does.
    [
      'DuckDB fails to write a chunk',
      'parquet-copy',
      500_000,
      /^failed ParquetWriteError: DuckDB could not write the Parquet files of chunk 0 of engagementdb-events-table from .+chunk-0\.jsonl: .*JSON/m,
    ],
    [
      'a bug throws after the fifth batch',
      'thrown-bug',
      1000,
      /^failed TypeError: Cannot read properties of undefined \(reading 'hours'\)$/m,
    ],
    [
      'the disk fills up (ENOSPC injected at the sixth write)',
      'disk-full',
      1000,
      /^failed LakeDirectoryError: Cannot write \/.+: no space left on device \(ENOSPC\); free some space or choose another lake with --lake\.$/m,
    ],
    [
      'a mapping worker crashes',
      'worker-crash',
      1000,
      /^failed MappingWorkerError: Mapping worker \d+ \(.+crashing-mapping-worker\.ts\) threw Error: out of luck/m,
    ],
    ['the commit fails', 'commit', 1000, /^failed Error: EIO: i\/o error, rename$/m],
  ])(
    'ends the process promptly with its message and leaves the lake unchanged when %s',
    async (_when, fault, chunkRows, message) => {
      const lake = path.join(work.path, `lake-${fault}`);
      await ingest({ lake, table: 'events', mapper: createMapper(), records: recordsOf(mixedEventLines()) });
      const before = snapshotOf(lake);

      const outcome = await runIngestChild(lake, input, fault, chunkRows);

      expect(outcome.output).toMatch(message);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.output).toMatch(/^progress 1000$/m);
      expect(outcome.ms).toBeLessThan(promptMs);
      expect(snapshotOf(lake)).toEqual(before);
    },
  );
});
