// The lake the SQL benchmarks read: generated activity of every channel (`@engagement-db/workload`, the
// demo's data) mapped and ingested by the real mapper and lake, made once a day under the system temp folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableName } from '@engagement-db/canonical-model';
import { type RawRecord, ingest } from '@engagement-db/lake';
import { createMapper } from '@engagement-db/mapper';
import { generateEventTexts } from '@engagement-db/workload';

/** Events in the benchmarks' lake: 1,000,000, or `SQL_BENCH_EVENTS` (e.g. 10000000). */
export const benchEventCount = Number(process.env['SQL_BENCH_EVENTS'] ?? 1_000_000);

// The lake covers the 14 days before the current day, so the sample queries' "last N days" filters
// see it; it is kept for the day it was made.
export async function benchLake(eventCount: number): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const lake = path.join(os.tmpdir(), `engagement-db-bench-lake-${eventCount}-${today}`);
  const marker = path.join(lake, '_complete');
  if (fs.existsSync(marker)) return lake;
  fs.rmSync(lake, { recursive: true, force: true });
  const started = performance.now();
  async function* records(): AsyncGenerator<RawRecord> {
    let line = 0;
    for (const text of generateEventTexts(eventCount)) yield { text, origin: 'generated', line: ++line };
  }
  const report = await ingest({
    lake,
    table: TableName.events,
    mapper: createMapper(),
    records: records(),
    deduplicate: false,
    mappingWorkers: os.availableParallelism() < 2 ? 0 : 2,
  });
  fs.writeFileSync(marker, '');
  process.stdout.write(
    `built the lake in ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.rowsWritten} rows\n`,
  );
  return lake;
}
