// Ingest throughput: raw JSON Lines → mapper → Parquet lake, against DuckDB's own read_json → Parquet
// of the already-mapped rows (the floor no ingest can beat), measured in the same run. Rates come from the
// records and rows each run reports, not from the number asked for.
// `npm run bench` (3 runs of each at 200k events, with mappingWorkers 0, 1 and 2; then one 1M ingest with
// 2 workers, as the CLI uses on 2 cores); `npm run bench -- --events 50000 --runs 3 --large 0 --workers 0,1`.
// Target (the CLI's setting, 2 workers, at each size): at least 10,000 events/s and a peak RSS under 1 GiB;
// `--target N` changes the rate. Exits 1 when a target is missed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbColumnsOf, eventTable } from '@engagement-db/canonical-model';
import { type EventMappingResult, type Mapper, createMapper } from '@engagement-db/mapper';
import { fixturesDirectory } from '@engagement-db/mapper/testing';
import { ingest } from './ingest';
import { parquetRowGroupBytes, parquetRowGroupSize } from './internal/parquet-chunk-writer';
import { readJsonLines } from './raw-record';

interface Measurement {
  readonly seconds: number;
  readonly records: number;
  readonly rows: number;
  readonly peakRssMiB: number;
}

type ChildMode = 'ingest' | 'premapped' | 'floor' | 'map-only';

const dayMs = 86_400_000;
const spreadDays = 14;
const targetWorkers = 2;
const maxPeakRssMiB = 1024;
let targetRate = 10_000;
const missedTargets: string[] = [];

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
  const largeWorkers = option('large-workers', targetWorkers);
  const largeRuns = option('large-runs', 1);
  targetRate = option('target', targetRate);
  const at = args.indexOf('--workers');
  const workerCounts = (at >= 0 ? args[at + 1] : '0,1,2').split(',').map(Number);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-ingest-bench-'));
  try {
    out(`ingest benchmark on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
    await measureSize(work, events, runs, workerCounts, true);
    if (large > 0) await measureSize(work, large, largeRuns, [largeWorkers], false);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  out(
    `\ntarget: at least ${targetRate.toLocaleString('en-US')} events/s with mappingWorkers ${targetWorkers}, ` +
      `peak RSS under ${maxPeakRssMiB} MiB: ${missedTargets.length === 0 ? 'met' : `NOT met (${missedTargets.join('; ')})`}`,
  );
  if (missedTargets.length > 0) process.exitCode = 1;
}

async function measureSize(
  work: string,
  events: number,
  runs: number,
  workerCounts: number[],
  everything: boolean,
): Promise<void> {
  const raw = path.join(work, `raw-${events}.jsonl`);
  const mapped = path.join(work, `mapped-${events}.jsonl`);
  const started = Date.now();
  const { rows } = writeInputs(events, raw, mapped);
  out(
    `\n${events} mixed raw events (${rows} rows) over ${spreadDays} days, prepared in ${secondsSince(started)} s; ${runs} run(s) each`,
  );

  const floor = repeat(runs, () => inChild('floor', mapped, path.join(work, 'floor.parquet')));
  // The floor reads mapped rows, not events: the two compare by rows per second.
  const floorRowRate = median(floor.map((m) => m.rows / m.seconds));
  report('DuckDB read_json → Parquet of mapped rows (floor)', floor, floorRowRate);
  if (everything) {
    report(
      'lake ingest of mapped rows (lake alone)',
      repeat(runs, () => inChild('premapped', mapped, path.join(work, 'lake-premapped'))),
      floorRowRate,
    );
  }
  for (const workers of workerCounts) {
    const full = repeat(runs, () => inChild('ingest', raw, path.join(work, 'lake'), workers));
    const { eventRate, peakRssMiB } = report(
      `lake ingest of raw events, mappingWorkers ${workers}`,
      full,
      floorRowRate,
    );
    const wrong = full.find((m) => m.records !== events || m.rows !== rows);
    if (wrong) {
      throw new Error(
        `an ingest reported ${wrong.records} records and ${wrong.rows} rows; expected ${events} and ${rows}`,
      );
    }
    if (workers === targetWorkers && eventRate < targetRate) {
      missedTargets.push(`${events} events: ${Math.round(eventRate)} events/s`);
    }
    if (workers === targetWorkers && peakRssMiB >= maxPeakRssMiB) {
      missedTargets.push(`${events} events: peak RSS ${peakRssMiB} MiB`);
    }
  }
  if (everything) {
    report(
      'mapper alone, no lake (for reference)',
      repeat(runs, () => inChild('map-only', raw, path.join(work, 'unused'))),
      floorRowRate,
    );
  }
}

/** Prints one line: the median (or the one run) of rates computed from what each run reports. */
function report(
  title: string,
  runs: Measurement[],
  floorRowRate: number,
): { eventRate: number; peakRssMiB: number } {
  const seconds = median(runs.map((m) => m.seconds));
  const eventRate = median(runs.map((m) => m.records / m.seconds));
  const rowRate = median(runs.map((m) => m.rows / m.seconds));
  const peakRssMiB = Math.max(...runs.map((m) => m.peakRssMiB));
  const which = runs.length === 1 ? 'one run' : `median of ${runs.length}`;
  const events =
    eventRate > 0 ? `${Math.round(eventRate).toString().padStart(8)} events/s` : '       — events/s';
  out(
    `  ${title.padEnd(48)} ${which.padEnd(12)} ${seconds.toFixed(2).padStart(7)} s  ${events}  ` +
      `${Math.round(rowRate).toString().padStart(8)} rows/s  ${(rowRate / floorRowRate).toFixed(2)}× floor  peak RSS ${peakRssMiB} MiB`,
  );
  return { eventRate, peakRssMiB };
}

/** Writes the raw input (the fixture corpus repeated with varied ids and times) and its mapped rows. */
function writeInputs(events: number, rawFile: string, mappedFile: string): { rows: number } {
  const fixtures = path.join(fixturesDirectory, 'mixed.jsonl');
  const corpus = fs
    .readFileSync(fixtures, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
  const end = Date.UTC(2025, 2, 15);
  const mapper = createMapper();
  const raw = fs.openSync(rawFile, 'w');
  const mapped = fs.openSync(mappedFile, 'w');
  let rows = 0;
  let rawBatch: string[] = [];
  let mappedBatch: string[] = [];
  for (let i = 0; i < events; i += 1) {
    const when = end - spreadDays * dayMs + Math.floor((i / events) * spreadDays * dayMs);
    const text = JSON.stringify(varied(corpus[i % corpus.length], i, when));
    rawBatch.push(text);
    const result = mapper.mapEvent(text);
    if (result.ok) {
      for (const row of result.events) mappedBatch.push(JSON.stringify(row));
      rows += result.events.length;
    }
    if (rawBatch.length >= 5000 || i === events - 1) {
      fs.writeSync(raw, rawBatch.join('\n') + '\n');
      fs.writeSync(mapped, mappedBatch.join('\n') + '\n');
      rawBatch = [];
      mappedBatch = [];
    }
  }
  fs.closeSync(raw);
  fs.closeSync(mapped);
  return { rows };
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A copy of a raw event with every id made unique and every time moved near `when`. */
function varied(value: unknown, n: number, when: number, key = ''): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('{')) return JSON.stringify(varied(JSON.parse(value), n, when));
    if (isoTime.test(value)) return new Date(when + (Date.parse(value) % 600_000)).toISOString();
    if (/timestamp/i.test(key) && /^\d{10}$/.test(value))
      return String(Math.floor(when / 1000) + (Number(value) % 600));
    if (/^(id|messageId|MessageId|feedbackId)$/.test(key)) return `${value}-${n}`;
    return value;
  }
  if (typeof value === 'number' && /timestamp/i.test(key) && value > 1e12) return when + (value % 600_000);
  if (Array.isArray(value)) return value.map((item) => varied(item, n, when, key));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, varied(v, n, when, k)]));
  }
  return value;
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
  const started = process.hrtime.bigint();
  let records = 0;
  let rows = 0;
  if (mode === 'floor') {
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
    rows = Number(result.rowsChanged);
    connection.closeSync();
    instance.closeSync();
  } else if (mode === 'map-only') {
    const mapper = createMapper();
    for await (const record of readJsonLines(fs.createReadStream(input), input)) {
      records += 1;
      const result = mapper.mapEvent(record.text);
      if (result.ok) rows += result.events.length;
    }
  } else {
    const report = await ingest({
      lake: target,
      stream: 'events',
      mapper: mode === 'ingest' ? createMapper() : premappedRows,
      records: readJsonLines(fs.createReadStream(input), input),
      deduplicate: false,
      mappingWorkers: mode === 'ingest' ? workers : 0,
    });
    records = report.recordsRead;
    rows = report.rowsWritten;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ seconds, records, rows, peakRssMiB } satisfies Measurement)}\n`);
}

/** A mapper over rows mapped beforehand: each input line is one canonical row, so only the lake is timed. */
const premappedRows: Mapper = {
  mapEvent: (text: string): EventMappingResult => ({
    ok: true,
    source: 'ses-event',
    events: [JSON.parse(text)],
  }),
  mapConversation: () => ({ ok: false, failure: { kind: 'unknown-source', message: 'events only' } }),
  settings: { templateSources: createMapper().settings.templateSources, accountId: null },
};

function repeat<T>(times: number, run: () => T): T[] {
  return Array.from({ length: times }, run);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function secondsSince(start: number): string {
  return ((Date.now() - start) / 1000).toFixed(1);
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
