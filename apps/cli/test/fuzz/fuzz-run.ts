import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { TableName } from '@engagement-db/canonical-model';
import { lakeContents, rowKeyOf } from '../lake-contents';
import { runProgram } from '../run-program';
import { SeededRandom } from '@engagement-db/workload';
import { CorpusMutator, type FuzzRecord } from './corpus-mutations';

/** How one run of a command ended. Its output is in the files the runner was given. */
export interface CommandEnd {
  /** The exit status, or null when a signal ended the process. */
  readonly status: number | null;
  readonly signal?: string;
  /** It ran past its time and was stopped: a hang. */
  readonly timedOut: boolean;
}

/** Runs `engagement-db ARGS`, writing its stdout and stderr to the files given. */
export interface CommandRunner {
  run(
    args: readonly string[],
    output: { stdout: string; stderr: string },
    timeoutMs: number,
  ): Promise<CommandEnd>;
}

/** The built command (`bin/engagement-db.js`), one process per run: a crash is seen as the process's end. */
export const builtCommand: CommandRunner = {
  async run(args, output, timeoutMs) {
    const stdout = fs.openSync(output.stdout, 'w');
    const stderr = fs.openSync(output.stderr, 'w');
    try {
      const child = spawn(
        process.execPath,
        [path.join(__dirname, '..', '..', 'bin', 'engagement-db.js'), ...args],
        {
          stdio: ['ignore', stdout, stderr],
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      );
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.once('close', (code, killedBy) => resolve([code, killedBy])),
      );
      clearTimeout(timer);
      return { status, ...(signal ? { signal } : {}), timedOut };
    } finally {
      fs.closeSync(stdout);
      fs.closeSync(stderr);
    }
  },
};

/** The same program run in this process (`runProgram`): quicker, for the test command's small run. */
export const inProcessCommand: CommandRunner = {
  async run(args, output, timeoutMs) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    const ended = await Promise.race([runProgram(args), timeout]);
    clearTimeout(timer);
    if (ended === 'timeout') return { status: null, timedOut: true };
    fs.writeFileSync(output.stdout, ended.stdout);
    fs.writeFileSync(output.stderr, ended.stderr);
    return { status: ended.status, timedOut: false };
  },
};

/** How the records of a batch are laid out in its input file. */
const InputLayout = {
  jsonLines: 'JSON Lines',
  crlf: 'JSON Lines, CRLF',
  bomAndBlankLines: 'JSON Lines with a byte order mark and blank lines',
  gzip: 'gzip of JSON Lines',
  jsonArray: 'a JSON array',
} as const;
type InputLayout = (typeof InputLayout)[keyof typeof InputLayout];
const layouts = Object.values(InputLayout);

/** What a fuzz run found. */
export interface FuzzFigures {
  records: number;
  batches: number;
  /** Runs in which both commands ended, without a crash, and agreed on everything checked. */
  agreeingRuns: number;
  rows: number;
  /** Failed records by failure kind, as `map` reported them (and `ingest` kept them). */
  failuresByKind: Record<string, number>;
  /** Records by the mutations they carry. */
  mutations: Record<string, number>;
  /** Batches that both commands refused as a whole, with the same message (exit status 2). */
  refusedInputs: number;
  /** Runs that ended otherwise than with 0, 1 or a refusal: a signal, a stack trace, an unexpected status. */
  crashes: string[];
  /** Runs stopped for running past their time. */
  hangs: string[];
  /** Batches where map and ingest (or the lake) tell different stories. */
  disagreements: string[];
  /** Output lines of map that are not JSON. */
  nonJsonLines: number;
}

/** What one fuzz run does. */
export interface FuzzOptions {
  readonly seed: number;
  readonly records: number;
  readonly batchRecords: number;
  readonly runner: CommandRunner;
  /** A folder for the inputs, outputs and lakes; each batch's are removed once checked. */
  readonly work: string;
  /** Longest a command may take for one batch before it counts as a hang. */
  readonly timeoutMs: number;
  /** Called after each batch with the figures so far and what the batch was. */
  readonly onBatch?: (figures: FuzzFigures, batch: string) => void;
}

/**
 * Mutates the corpus into `records` records and runs them, a batch at a time, through `map` and
 * through `ingest` into a fresh lake, then checks that nothing crashed or hung, that every line `map`
 * wrote is JSON, and that both agree exactly: the same records read, the same rows (by channel, and
 * the same event ids in the lake), the same failed records (line and kind) in `map`'s report and in
 * the lake's `errors/`. Reproducible: the same seed gives the same records.
 *
 * @example const figures = await fuzz({ seed: 1, records: 3000, batchRecords: 1000, runner: inProcessCommand, work, timeoutMs: 60_000 });
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzFigures> {
  const random = new SeededRandom(options.seed);
  const mutators = {
    [TableName.events]: new CorpusMutator(random, TableName.events),
    [TableName.conversations]: new CorpusMutator(random, TableName.conversations),
  };
  const figures: FuzzFigures = {
    records: 0,
    batches: 0,
    agreeingRuns: 0,
    rows: 0,
    failuresByKind: {},
    mutations: {},
    refusedInputs: 0,
    crashes: [],
    hangs: [],
    disagreements: [],
    nonJsonLines: 0,
  };
  for (let batch = 0; figures.records < options.records; batch += 1) {
    const size = Math.min(options.batchRecords, options.records - figures.records);
    // Every layout in turn, and a batch of conversation records in four: a short run has them all.
    const table = batch % 4 === 3 ? TableName.conversations : TableName.events;
    const records = mutators[table].records(size);
    const layout = layouts[batch % layouts.length];
    for (const record of records)
      for (const mutation of record.mutations)
        figures.mutations[mutation] = (figures.mutations[mutation] ?? 0) + 1;
    const folder = path.join(options.work, `batch-${batch}`);
    const name = `seed ${options.seed} batch ${batch} (${table}, ${layout})`;
    fs.mkdirSync(folder, { recursive: true });
    const problems = (): number =>
      figures.crashes.length + figures.hangs.length + figures.disagreements.length;
    const before = problems();
    try {
      await checkBatch(folder, name, table, records, layout, options, figures);
      if (problems() === before) figures.agreeingRuns += 1;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    figures.records += size;
    figures.batches += 1;
    options.onBatch?.(figures, name);
  }
  return figures;
}

async function checkBatch(
  folder: string,
  name: string,
  table: TableName,
  records: readonly FuzzRecord[],
  layout: InputLayout,
  options: FuzzOptions,
  figures: FuzzFigures,
): Promise<void> {
  const input = path.join(folder, layout === InputLayout.gzip ? 'input.jsonl.gz' : 'input.json');
  fs.writeFileSync(input, inputOf(records, layout));
  const lake = path.join(folder, 'lake');
  const mapOutput = { stdout: path.join(folder, 'map.out'), stderr: path.join(folder, 'map.err') };
  const ingestOutput = { stdout: path.join(folder, 'ingest.out'), stderr: path.join(folder, 'ingest.err') };
  const map = await options.runner.run(['map', '--table', table, input], mapOutput, options.timeoutMs);
  const ingest = await options.runner.run(
    ['ingest', '--lake', lake, '--table', table, input],
    ingestOutput,
    options.timeoutMs,
  );
  const problem = (list: string[], what: string): void => void list.push(`${name}: ${what}`);
  for (const [command, end, output] of [
    ['map', map, mapOutput],
    ['ingest', ingest, ingestOutput],
  ] as const) {
    if (end.timedOut) problem(figures.hangs, `${command} ran past ${options.timeoutMs} ms`);
    else if (end.status === null || ![0, 1, 2].includes(end.status))
      problem(figures.crashes, `${command} ended with ${end.signal ?? `status ${end.status}`}`);
    else if (/unexpected error|^\s+at /m.test(fs.readFileSync(output.stderr, 'utf8')))
      problem(figures.crashes, `${command}: ${firstLines(fs.readFileSync(output.stderr, 'utf8'))}`);
  }
  if (map.timedOut || ingest.timedOut || map.status === null || ingest.status === null) return;
  if (map.status === 2 || ingest.status === 2) {
    const [mapError, ingestError] = [mapOutput, ingestOutput].map((o) =>
      fs.readFileSync(o.stderr, 'utf8').trim(),
    );
    if (map.status === ingest.status && mapError === ingestError) figures.refusedInputs += 1;
    else
      problem(figures.disagreements, `exit ${map.status} (${mapError}) vs ${ingest.status} (${ingestError})`);
    return;
  }

  const mapped = await mapReport(mapOutput, input);
  figures.nonJsonLines += mapped.nonJsonLines;
  const ingested = fs.readFileSync(ingestOutput.stdout, 'utf8');
  const reported = {
    records: Number(/^ingested (\d+) records/m.exec(ingested)?.[1]),
    rows: Number(/^rows written: (\d+)/m.exec(ingested)?.[1]),
    failures: Number(/^failures: (\d+)/m.exec(ingested)?.[1]),
  };
  const stored = await lakeContents(lake, table);
  const agree = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      problem(
        figures.disagreements,
        `${what}: map ${JSON.stringify(a).slice(0, 300)}, ingest ${JSON.stringify(b).slice(0, 300)}`,
      );
  };
  agree('records read', mapped.records, reported.records);
  agree('rows', mapped.rows, reported.rows);
  agree('rows in the lake', mapped.rows, stored.rows);
  agree('rows by channel', sortedEntries(mapped.rowsByChannel), sortedEntries(stored.rowsByChannel));
  agree('rows in the lake, by key', mapped.rowKeys.sort(), stored.rowKeys);
  agree('failed records', mapped.failures.length, reported.failures);
  agree(
    'failed records in errors/ (line, kind)',
    mapped.failures,
    stored.failures.map((f) => [f.line, f.errorCode]),
  );
  agree('exit status', map.status, ingest.status);
  figures.rows += mapped.rows;
  for (const [, kind] of mapped.failures)
    figures.failuresByKind[kind] = (figures.failuresByKind[kind] ?? 0) + 1;
}

interface MapReport {
  records: number;
  rows: number;
  rowsByChannel: Record<string, number>;
  rowKeys: string[];
  /** Line and kind of each failure line. */
  failures: [number, string][];
  nonJsonLines: number;
}

/** Reads what `map` wrote, line by line (its output can be large). */
async function mapReport(output: { stdout: string; stderr: string }, input: string): Promise<MapReport> {
  const report: MapReport = {
    records: 0,
    rows: 0,
    rowsByChannel: {},
    rowKeys: [],
    failures: [],
    nonJsonLines: 0,
  };
  for await (const line of readline.createInterface({
    input: fs.createReadStream(output.stdout),
    crlfDelay: Infinity,
  })) {
    try {
      const row = JSON.parse(line) as {
        channel: string;
        eventId?: string;
        messageId?: string;
        timestamp?: number;
      };
      report.rows += 1;
      report.rowsByChannel[row.channel] = (report.rowsByChannel[row.channel] ?? 0) + 1;
      report.rowKeys.push(rowKeyOf(row));
    } catch {
      report.nonJsonLines += 1;
    }
  }
  const failureLine = new RegExp(`^${escapeRegExp(input)}:(\\d+): ([a-z-]+): `);
  const stderr = fs.readFileSync(output.stderr, 'utf8').split('\n');
  for (const line of stderr) {
    const match = failureLine.exec(line);
    if (match) report.failures.push([Number(match[1]), match[2]]);
  }
  const summary = stderr
    .map((line) => /^engagement-db: map: (\d+) of (\d+) records failed$/.exec(line))
    .find(Boolean);
  report.records = summary ? Number(summary[2]) : NaN;
  return report;
}

/** The input file of a batch: its records laid out as `layout` says. */
function inputOf(records: readonly FuzzRecord[], layout: InputLayout): Buffer {
  const lines = records.map((record) => record.bytes);
  const join = (separator: string): Buffer =>
    Buffer.concat(lines.flatMap((line, i) => (i === 0 ? [line] : [Buffer.from(separator), line])));
  switch (layout) {
    case InputLayout.jsonLines:
      return Buffer.concat([join('\n'), Buffer.from('\n')]);
    case InputLayout.crlf:
      return Buffer.concat([join('\r\n'), Buffer.from('\r\n')]);
    case InputLayout.bomAndBlankLines:
      return Buffer.concat([Buffer.from('\uFEFF\n'), join('\n \n\t\r\n\n'), Buffer.from('\n\n')]);
    case InputLayout.gzip:
      return zlib.gzipSync(join('\n'));
    case InputLayout.jsonArray:
      return Buffer.concat([Buffer.from('[\n'), join(',\n'), Buffer.from('\n]\n')]);
  }
}

function sortedEntries(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1));
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 6).join(' | ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
