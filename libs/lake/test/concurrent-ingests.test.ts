import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listIngests } from '../src/ingest-manifest';
import { countRows, distinctEventLines, temporaryFolder } from './lake-test-kit';

const child = path.join(__dirname, 'ingest-child.ts');

function runIngestChild(lake: string, input: string, barrier: string): Promise<string> {
  const running = spawn(
    process.execPath,
    ['--conditions=@engagement-db/source', '--import', 'tsx', child, lake, input, '500000', '0', 'barrier'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BARRIER: barrier } },
  );
  let output = '';
  running.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => running.on('exit', () => resolve(output)));
}

describe('two ingests of the same input at the same moment', () => {
  let work: ReturnType<typeof temporaryFolder>;
  let input: string;
  beforeAll(() => {
    work = temporaryFolder('engagement-concurrent-');
    const records = distinctEventLines(3000);
    input = path.join(work.path, 'input.jsonl');
    fs.writeFileSync(input, records.join('\n') + '\n');
  });
  afterAll(() => work.remove());

  it.each([1, 2, 3])('commit exactly once, the other reporting the skip (trial %i)', async (trial) => {
    const lake = path.join(work.path, `lake-${trial}`);
    const barrier = fs.mkdtempSync(path.join(work.path, 'barrier-'));

    // Both wait, once everything is read and mapped, until the other has got as far.
    const outputs = await Promise.all([
      runIngestChild(lake, input, barrier),
      runIngestChild(lake, input, barrier),
    ]);

    const reports = outputs.map((output) => {
      const done = /^done (.*)$/m.exec(output);
      if (!done) throw new Error(`an ingest did not finish: ${output.slice(-500)}`);
      return JSON.parse(done[1]) as { rowsWritten: number; skipped: string | null };
    });
    const committed = reports.filter((report) => report.skipped === null);
    const skipped = reports.filter((report) => report.skipped !== null);
    const manifests = listIngests(lake);
    expect(committed).toHaveLength(1);
    expect(skipped).toHaveLength(1);
    expect(manifests).toHaveLength(1);
    expect(skipped[0].skipped).toBe(manifests[0].ingestId);
    expect(await countRows(lake, 'events')).toBe(committed[0].rowsWritten);
  });
});
