// `nx run cli:fuzz --records 1000000`: the fuzz run of the test command at scale, through the built
// command (one process per run), printing its figures. Exits 1 when anything crashed, hung or
// disagreed. Options: --records N (default 100000), --seed N (default 1), --per-run N records per run
// (default 20000), --timeout SECONDS per command run (default 900), --in-process.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type FuzzFigures, builtCommand, fuzz, inProcessCommand } from './fuzz-run';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'per-run': { type: 'string', default: '20000' },
    timeout: { type: 'string', default: '900' },
    'in-process': { type: 'boolean', default: false },
  },
});

function wholeNumber(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) {
    console.error(`fuzz: --${name} is ${JSON.stringify(text)}; expected a whole number of at least 1`);
    process.exit(2);
  }
  return value;
}

function figuresText(figures: FuzzFigures, seconds: number): string {
  const kinds = Object.entries(figures.failuresByKind).sort(([, a], [, b]) => b - a);
  const mutations = Object.entries(figures.mutations).sort(([, a], [, b]) => b - a);
  const failures = kinds.reduce((sum, [, n]) => sum + n, 0);
  return [
    `records: ${figures.records} in ${figures.batches} runs of map and ingest`,
    `rows: ${figures.rows}`,
    `failed records: ${failures}`,
    ...kinds.map(([kind, n]) => `  ${kind}: ${n}`),
    `inputs refused whole by both: ${figures.refusedInputs}`,
    `crashes: ${figures.crashes.length}`,
    ...figures.crashes.map((crash) => `  ${crash}`),
    `hangs: ${figures.hangs.length}`,
    ...figures.hangs.map((hang) => `  ${hang}`),
    `map output lines that are not JSON: ${figures.nonJsonLines}`,
    `agreement of map and ingest (records, rows by channel and key, failures by line and kind, exit status): ${figures.agreeingRuns} of ${figures.batches} runs`,
    ...figures.disagreements.map((disagreement) => `  ${disagreement}`),
    `mutations applied (records may carry several): ${mutations.map(([m, n]) => `${m} ${n}`).join(', ')}`,
    `wall time: ${seconds.toFixed(1)} s (${Math.round(figures.records / seconds)} records/s through both commands)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const records = wholeNumber('records', values.records);
  const seed = wholeNumber('seed', values.seed);
  const batchRecords = wholeNumber('per-run', values['per-run']);
  const timeoutMs = wholeNumber('timeout', values.timeout) * 1000;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-fuzz-'));
  const started = Date.now();
  console.log(
    `fuzz: ${records} records, seed ${seed}, ${batchRecords} records a run, through the ${values['in-process'] ? 'in-process' : 'built'} command`,
  );
  try {
    const figures = await fuzz({
      seed,
      records,
      batchRecords,
      timeoutMs,
      work,
      runner: values['in-process'] ? inProcessCommand : builtCommand,
      onBatch: (so, batch) =>
        console.log(
          `  ${batch}: ${so.records} records, ${so.rows} rows, crashes ${so.crashes.length}, hangs ${so.hangs.length}, ` +
            `disagreements ${so.disagreements.length}, ${Math.round((Date.now() - started) / 1000)} s`,
        ),
    });
    console.log(figuresText(figures, (Date.now() - started) / 1000));
    const failed =
      figures.crashes.length + figures.hangs.length + figures.disagreements.length + figures.nonJsonLines;
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
