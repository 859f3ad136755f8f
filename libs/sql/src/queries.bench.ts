// Times every documented sample query over a lake of 1,000,000 events of generated activity (built
// through the real mapper and lake, kept for the day), against plain DuckDB over the same files: a scan
// that reads every value of every column (the baseline), and count(*), which DuckDB answers from the
// Parquet footers without reading a column. Exits 1 when a query misses its target.
// `npm run bench`; `SQL_BENCH_EVENTS=100000 npm run bench` for a smaller lake.
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { eventTable } from '@engagement-db/canonical-model';
import { type BenchmarkLine, measure, printBenchmark } from '@engagement-db/workload';
import { benchEventCount, benchLake } from '../test/bench-lake';
import { sampleQueries } from './sample-queries';
import { openQueryEngine } from './index';

const runs = 7;
const targetMillis = 2000;

async function main(): Promise<void> {
  const lake = await benchLake(benchEventCount);
  const engine = await openQueryEngine({ lake });
  const baselineDb = await DuckDBInstance.create(':memory:');
  const baseline = await baselineDb.connect();
  const glob = path.join(lake, eventTable.prefix, '*', '*', '*', '*', '*.parquet');
  const countRows = `SELECT count(*) FROM read_parquet('${glob}')`;
  const rowCount = Number((await baseline.runAndReadAll(countRows)).getRows()[0][0]);
  const fullScan = await measure(runs, () =>
    baseline.runAndReadAll(`SELECT sum(hash(COLUMNS(*))) FROM read_parquet('${glob}')`),
  );
  const footerCount = await measure(runs, () => baseline.runAndReadAll(countRows));

  const measured: BenchmarkLine[] = [
    {
      label: 'plain DuckDB count(*) over the same files',
      timing: footerCount,
      note: 'answered from the Parquet footers, reads no column',
    },
  ];
  for (const [name, { sql }] of Object.entries(sampleQueries)) {
    let rows = 0;
    const timing = await measure(runs, async () => {
      const result = await engine.query(sql);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      rows = result.value.rows.length;
    });
    measured.push({
      label: name,
      timing,
      note: `${rows} rows, ${timing.wallMs < targetMillis ? 'ok' : 'SLOW'}`,
    });
  }
  engine.close();
  baseline.closeSync();
  baselineDb.closeSync();

  const met = measured.slice(1).every((line) => line.timing.wallMs < targetMillis);
  printBenchmark({
    title:
      `the sample queries over ${lake} (${rowCount.toLocaleString('en-US')} rows counted in the lake, ` +
      `${benchEventCount.toLocaleString('en-US')} events generated), ${runs} runs`,
    clock: 'wall',
    baseline: {
      label: 'plain DuckDB sum(hash(every column)) over the same files',
      timing: fullScan,
      note: 'reads every value of every column',
    },
    measured,
    target: { label: `every query under ${targetMillis} ms`, met },
  });
  if (!met) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
