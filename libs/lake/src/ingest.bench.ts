// Ingest throughput: raw JSON Lines → mapper → Parquet lake, against DuckDB's own read_json → Parquet
// of the already-mapped rows into one file (the floor no ingest can beat), measured in the same run.
// The input is generated activity in time order, as a service delivers it.
// `npm run bench` (3 runs of each at 200k events, with mappingWorkers 0, 1 and 2; then one 1M ingest with
// 1 and with 2 workers); `npm run bench -- --events 50000 --runs 3 --large 0 --workers 0,1`.
// Every run must report the records and rows it was given. Target, for 2 workers (the CLI's setting) at each
// size: at least 35,000 events/s (`--target N` changes it), at least half the floor's rate, and a peak RSS
// under 1 GiB; a miss exits 1.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TableName, duckdbColumnsOf, eventTable } from '@engagement-db/canonical-model';
import { type Mapper, createMapper } from '@engagement-db/mapper';
import {
  type BenchmarkLine,
  type Timing,
  generateEventTexts,
  medianTiming,
  printBenchmark,
  timed,
} from '@engagement-db/workload';
import { ingest } from './ingest';
import { parquetRowGroupBytes, parquetRowGroupSize } from './internal/parquet-chunk-writer';
import { readJsonLines } from './raw-record';

/** What one child process measured. */
interface Measurement {
  readonly timing: Timing;
  readonly records: number;
  readonly rows: number;
  readonly peakRssMiB: number;
}

type ChildMode = 'ingest' | 'premapped' | 'floor' | 'map-only';

const targetWorkers = 2;
const maxPeakRssMiB = 1024;
const minFloorRatio = 0.5;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1] as ChildMode, args[2], args[3], Number(args[4] ?? 0));
  const option = (name: string, fallback: number): number => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const events = option('events', 200_000);
  const runs = option('runs', 3);
  const large = option('large', 1_000_000);
  const list = (name: string, fallback: string): number[] => {
    const at = args.indexOf(`--${name}`);
    return (at >= 0 ? args[at + 1] : fallback).split(',').map(Number);
  };
  const largeWorkers = list('large-workers', '1,2');
  const largeRuns = option('large-runs', 1);
  const targetRate = option('target', 35_000);
  const workerCounts = list('workers', '0,1,2');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-ingest-bench-'));
  try {
    process.stdout.write(
      `ingest benchmark on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}\n`,
    );
    await measureSize(work, events, runs, workerCounts, true, targetRate);
    if (large > 0) await measureSize(work, large, largeRuns, largeWorkers, false, targetRate);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function measureSize(
  work: string,
  events: number,
  runs: number,
  workerCounts: number[],
  everything: boolean,
  targetRate: number,
): Promise<void> {
  const raw = path.join(work, `raw-${events}.jsonl`);
  const mapped = path.join(work, `mapped-${events}.jsonl`);
  const { rows } = writeInputs(events, raw, mapped);
  const lineOf = (label: string, measurements: Measurement[]): BenchmarkLine => ({
    label,
    timing: medianTiming(measurements.map((m) => m.timing)),
    note: `peak RSS ${Math.max(...measurements.map((m) => m.peakRssMiB))} MiB`,
  });
  const floor = repeat(runs, () => inChild('floor', mapped, path.join(work, 'floor.parquet')));
  const measured: BenchmarkLine[] = [];
  const targetLine: { met: boolean } = { met: true };
  if (everything) {
    const premapped = repeat(runs, () => inChild('premapped', mapped, path.join(work, 'lake-premapped')));
    measured.push(lineOf('lake ingest of mapped rows (lake alone)', premapped));
  }
  for (const workers of workerCounts) {
    const full = repeat(runs, () => inChild('ingest', raw, path.join(work, 'lake'), workers));
    const wrong = full.find((m) => m.records !== events || m.rows !== rows);
    if (wrong) {
      throw new Error(
        `an ingest reported ${wrong.records} records and ${wrong.rows} rows; expected ${events} and ${rows}`,
      );
    }
    const line = lineOf(`lake ingest of raw events, mappingWorkers ${workers}`, full);
    measured.push(line);
    if (workers === targetWorkers) {
      const floorWallMs = medianTiming(floor.map((m) => m.timing)).wallMs;
      targetLine.met =
        (events / line.timing.wallMs) * 1000 >= targetRate &&
        floorWallMs / line.timing.wallMs >= minFloorRatio &&
        Math.max(...full.map((m) => m.peakRssMiB)) < maxPeakRssMiB;
    }
  }
  if (everything) {
    const mapOnly = repeat(runs, () => inChild('map-only', raw, path.join(work, 'unused')));
    measured.push(lineOf('mapper alone, no lake (for reference)', mapOnly));
  }
  printBenchmark({
    title:
      `\n${events.toLocaleString('en-US')} raw events of generated activity (${rows} rows), ` +
      (runs === 1 ? 'one run each' : `${runs} runs each`),
    clock: 'wall',
    count: events,
    unit: 'events',
    baseline: lineOf('DuckDB read_json → Parquet of mapped rows (floor)', floor),
    measured,
    ...(workerCounts.includes(targetWorkers)
      ? {
          target: {
            label:
              `${targetRate.toLocaleString('en-US')} events/s and ${minFloorRatio} of the floor's rate with ` +
              `mappingWorkers ${targetWorkers}, peak RSS under ${maxPeakRssMiB} MiB`,
            met: targetLine.met,
          },
        }
      : {}),
  });
}

/** Writes the raw input (generated activity) and its mapped rows, each as JSON Lines. */
function writeInputs(events: number, rawFile: string, mappedFile: string): { rows: number } {
  const mapper = createMapper();
  const raw = fs.openSync(rawFile, 'w');
  const mapped = fs.openSync(mappedFile, 'w');
  let rows = 0;
  let rawBatch: string[] = [];
  let mappedBatch: string[] = [];
  const flush = (): void => {
    fs.writeSync(raw, rawBatch.map((line) => `${line}\n`).join(''));
    fs.writeSync(mapped, mappedBatch.map((line) => `${line}\n`).join(''));
    rawBatch = [];
    mappedBatch = [];
  };
  for (const text of generateEventTexts(events)) {
    rawBatch.push(text);
    const result = mapper.map(TableName.events, text);
    if (result.ok) {
      for (const row of result.value) mappedBatch.push(JSON.stringify(row));
      rows += result.value.length;
    }
    if (rawBatch.length >= 5000) flush();
  }
  flush();
  fs.closeSync(raw);
  fs.closeSync(mapped);
  return { rows };
}

/** Runs one measurement in a fresh process, so its peak RSS is its own. */
function inChild(mode: ChildMode, input: string, target: string, workers = 0): Measurement {
  fs.rmSync(target, { recursive: true, force: true });
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=@engagement-db/source',
      '--import',
      'tsx',
      __filename,
      '--child',
      mode,
      input,
      target,
      String(workers),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (result.status !== 0) throw new Error(`benchmark child ${mode} failed: ${result.stderr}`);
  fs.rmSync(target, { recursive: true, force: true });
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as Measurement;
}

async function child(mode: ChildMode, input: string, target: string, workers: number): Promise<void> {
  let records = 0;
  let rows = 0;
  const timing = await timed(async () => {
    if (mode === 'floor') {
      rows = await duckdbFloor(input, target);
    } else if (mode === 'map-only') {
      const mapper = createMapper();
      for await (const record of readJsonLines(fs.createReadStream(input), input)) {
        records += 1;
        const result = mapper.map(TableName.events, record.text);
        if (result.ok) rows += result.value.length;
      }
    } else {
      const report = await ingest({
        lake: target,
        table: TableName.events,
        mapper: mode === 'ingest' ? createMapper() : premappedRows,
        records: readJsonLines(fs.createReadStream(input), input),
        deduplicate: false,
        mappingWorkers: mode === 'ingest' ? workers : 0,
      });
      records = report.recordsRead;
      rows = report.rowsWritten;
    }
  });
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ timing, records, rows, peakRssMiB } satisfies Measurement)}\n`);
}

async function duckdbFloor(input: string, target: string): Promise<number> {
  const columns = duckdbColumnsOf(eventTable)
    .map((c, i) => `'${eventTable.columns[i].name}': '${c.type}'`)
    .join(', ');
  const select = duckdbColumnsOf(eventTable)
    .map((c, i) => `"${eventTable.columns[i].name}" AS "${c.name}"`)
    .join(', ');
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '2',
    memory_limit: '512MB',
    preserve_insertion_order: 'false',
  });
  const connection = await instance.connect();
  const result = await connection.run(
    `COPY (SELECT ${select} FROM read_json('${input}', format = 'newline_delimited', columns = {${columns}})) ` +
      `TO '${target}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${parquetRowGroupSize}, ` +
      `ROW_GROUP_SIZE_BYTES '${parquetRowGroupBytes}')`,
  );
  connection.closeSync();
  instance.closeSync();
  return Number(result.rowsChanged);
}

/**
 * A mapper over rows mapped beforehand: each input line is one canonical row, passed on as it is, so
 * only the lake is timed. Its channel and timestamp are the first of their keys in the line: they
 * come before the row's nested values, and a quote inside a string value is escaped.
 */
const premappedRows: Mapper = {
  map: (table, text) => {
    if (table !== TableName.events) throw new Error('the premapped benchmark mapper maps events only');
    return { ok: true, value: [JSON.parse(text)] };
  },
  mapLines: (_table, text) => {
    const channel = /"channel":"([^"]*)"/.exec(text)?.[1];
    const timestamp = /"timestamp":(\d+)/.exec(text)?.[1];
    if (channel === undefined || timestamp === undefined)
      throw new Error(`not a mapped row: ${text.slice(0, 80)}`);
    return { ok: true, value: [{ text, channel, timestamp: Number(timestamp) }] };
  },
  settings: { templateSources: createMapper().settings.templateSources, accountId: null },
};

function repeat<T>(times: number, run: () => T): T[] {
  return Array.from({ length: times }, run);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
