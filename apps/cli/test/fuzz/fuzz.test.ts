import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SeededRandom } from '@engagement-db/workload';
import { CorpusMutator } from './corpus-mutations';
import { fuzz, inProcessCommand } from './fuzz-run';

describe('map and ingest on a mutated corpus', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-fuzz-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('makes the same records from the same seed', () => {
    const records = (seed: number) =>
      new CorpusMutator(new SeededRandom(seed), 'events')
        .records(200)
        .map((record) => record.bytes.toString('base64'));

    expect(records(7)).toEqual(records(7));
    expect(records(7)).not.toEqual(records(8));
  });

  it('never crashes or hangs, writes only JSON lines, and map and ingest agree on every row and failure', async () => {
    const figures = await fuzz({
      seed: 20_251_129,
      records: 1000,
      batchRecords: 200,
      runner: inProcessCommand,
      work,
      timeoutMs: 60_000,
    });

    expect({
      crashes: figures.crashes,
      hangs: figures.hangs,
      disagreements: figures.disagreements,
      nonJsonLines: figures.nonJsonLines,
    }).toEqual({ crashes: [], hangs: [], disagreements: [], nonJsonLines: 0 });
    expect(figures.agreeingRuns).toBe(figures.batches);
    expect(figures.records).toBe(1000);
    // The run maps good records and fails bad ones of several kinds, so it tests both paths.
    expect(figures.rows).toBeGreaterThan(300);
    expect(Object.keys(figures.failuresByKind).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(figures.mutations).length).toBeGreaterThanOrEqual(12);
  }, 300_000);
});
