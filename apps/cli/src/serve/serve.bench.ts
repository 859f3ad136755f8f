// Throughput of `serve`: 100,000 events of generated activity put through PutRecordBatch by several SDK clients at once, until
// every record is in the lake, with the built command of this tree (acknowledged = in the spool on the disk) and,
// side by side in the same run, the built command of a baseline git ref (default `main`; before the spool it
// acknowledged records it held in memory), and the same records given to ingest() directly (what the lake alone
// can take). Runs alternate between the two builds, so a busy machine slows both alike.
//
// npm run bench [-- --records 100000 --runs 3 --baseline main]   (in apps/cli)
// Exits 1 when a target is missed: this build at least 80% of the baseline's records/s, and 5,000 records/s.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DuckDBInstance } from '@duckdb/node-api';
import { TableName, canonicalTables } from '@engagement-db/canonical-model';
import { ingest, type RawRecord } from '@engagement-db/lake';
import { createMapper } from '@engagement-db/mapper';
import { generateEventTexts, median } from '@engagement-db/workload';

const appRoot = join(__dirname, '..', '..');
const workspaceRoot = join(appRoot, '..', '..');
const batchSize = 500;
const clients = 4;
// A batch the endpoint keeps refusing in part is tried at most this often before the run is declared failed.
const maxAttemptsPerBatch = 50;
const targetRatio = 0.8;
const targetRecordsPerSecond = 5000;
const events = canonicalTables.events.deliveryStreamName;

interface Run {
  /** Records the endpoint acknowledged (or ingest() read), as the run reports them. */
  readonly records: number;
  /** Rows in the lake afterwards, counted there. */
  readonly rows: number;
  readonly acceptedMs: number;
  readonly totalMs: number;
  /** CPU time of the serving process, all its threads (from /proc, sampled until it exits); 0 where unknown. */
  readonly cpuMs: number;
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The CPU time a process has used so far, in ms, or undefined when /proc cannot tell. */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] as string) : fallback;
}

function activityBatches(total: number): Buffer[][] {
  const batches: Buffer[][] = [];
  for (const text of generateEventTexts(total)) {
    if (batches.length === 0 || (batches.at(-1) as Buffer[]).length === batchSize) batches.push([]);
    (batches.at(-1) as Buffer[]).push(Buffer.from(text));
  }
  return batches;
}

/**
 * Builds the command of `ref` into a folder of its own: the tree from `git archive`, the workspace's
 * node_modules linked in (its own packages pointing into that tree), bundled by its own build.mjs.
 */
function buildBaseline(ref: string, into: string): string {
  const archive = execFileSync('git', ['-C', workspaceRoot, 'archive', '--format=tar', ref], {
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', into], { input: archive });
  const modules = join(into, 'node_modules');
  mkdirSync(join(modules, '@engagement-db'), { recursive: true });
  for (const name of readdirSync(join(workspaceRoot, 'node_modules'))) {
    if (name !== '@engagement-db' && name !== '.bin') {
      symlinkSync(join(workspaceRoot, 'node_modules', name), join(modules, name));
    }
  }
  for (const folder of ['libs', 'apps']) {
    for (const name of readdirSync(join(into, folder)))
      linkWorkspacePackage(join(into, folder, name), modules);
  }
  linkWorkspacePackage(join(into, 'templates'), modules);
  execFileSync(process.execPath, ['build.mjs'], { cwd: join(into, 'apps', 'cli'), stdio: 'inherit' });
  return join(into, 'apps', 'cli', 'bin', 'engagement-db.js');
}

/** Links a package of the baseline tree by its name, and the packages npm installed inside it in this tree. */
function linkWorkspacePackage(folder: string, modules: string): void {
  const manifest = join(folder, 'package.json');
  if (!existsSync(manifest)) return;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
  mkdirSync(dirname(join(modules, name)), { recursive: true });
  symlinkSync(folder, join(modules, name));
  const own = join(workspaceRoot, folder.slice(dirname(modules).length + 1), 'node_modules');
  if (existsSync(own) && !existsSync(join(folder, 'node_modules')))
    symlinkSync(own, join(folder, 'node_modules'));
}

async function lakeRows(lake: string): Promise<number> {
  if (!existsSync(join(lake, 'events'))) return 0;
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::BIGINT AS n FROM read_parquet('${lake}/events/**/*.parquet')`,
    );
    return Number((reader.getRowObjectsJson()[0] as { n: string }).n);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Starts a built command's serve, puts every batch, stops it with SIGTERM and waits until it has delivered. */
async function throughServe(bin: string, batches: readonly Buffer[][]): Promise<Run> {
  const lake = mkdtempSync(join(tmpdir(), 'engagement-db-serve-bench-'));
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--lake', lake], { stdio: 'pipe' });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let cpuMs = 0;
  const sampling = setInterval(() => (cpuMs = cpuMsOf(child.pid) ?? cpuMs), 10);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  void exited.then(() => clearInterval(sampling));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /Firehose endpoint (http:\/\/\S+) /.exec(output);
      if (found) resolve(found[1] as string);
    });
    void exited.then(() => reject(new Error(`serve (${bin}) exited before listening: ${output}`)));
  });
  const firehoses = Array.from(
    { length: clients },
    () =>
      new FirehoseClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCALBENCH', secretAccessKey: 'local-bench-secret' },
      }),
  );
  try {
    const started = performance.now();
    let next = 0;
    let records = 0;
    await Promise.all(
      firehoses.map(async (firehose) => {
        for (let index = next++; index < batches.length; index = next++) {
          let waiting = batches[index] as Buffer[];
          for (let attempt = 1; waiting.length > 0; attempt++) {
            if (attempt > maxAttemptsPerBatch)
              throw new Error(`batch ${index} still refused after ${maxAttemptsPerBatch} tries`);
            const answer = await firehose.send(
              new PutRecordBatchCommand({
                DeliveryStreamName: events,
                Records: waiting.map((Data) => ({ Data })),
              }),
            );
            const responses = answer.RequestResponses ?? [];
            records += responses.filter((entry) => entry.RecordId !== undefined).length;
            waiting = waiting.filter((_, i) => responses[i]?.ErrorCode !== undefined);
          }
        }
      }),
    );
    const acceptedMs = performance.now() - started;
    child.kill('SIGTERM');
    const code = await exited;
    const totalMs = performance.now() - started;
    if (code !== 0) throw new Error(`serve (${bin}) exited with ${code}: ${output.slice(-2000)}`);
    return { records, rows: await lakeRows(lake), acceptedMs, totalMs, cpuMs };
  } finally {
    firehoses.forEach((firehose) => firehose.destroy());
    child.kill('SIGKILL');
    rmSync(lake, { recursive: true, force: true });
  }
}

async function throughIngest(batches: readonly Buffer[][]): Promise<Run> {
  const lake = mkdtempSync(join(tmpdir(), 'engagement-db-ingest-bench-'));
  async function* records(): AsyncGenerator<RawRecord> {
    let line = 0;
    for (const batch of batches) {
      for (const data of batch) yield { text: data.toString('utf8'), origin: events, line: ++line };
    }
  }
  try {
    const started = performance.now();
    const report = await ingest({
      lake,
      table: TableName.events,
      records: records(),
      mapper: createMapper(),
      deduplicate: false,
    });
    const totalMs = performance.now() - started;
    return { records: report.recordsRead, rows: report.rowsWritten, acceptedMs: totalMs, totalMs, cpuMs: 0 };
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

/** Records per second into the lake of each run, from what the run reports, and their median. */
function rateOf(runs: readonly Run[], ms: (run: Run) => number = (run) => run.totalMs): number {
  return median(runs.map((run) => (run.records / ms(run)) * 1000));
}

function summary(runs: readonly Run[]): string {
  return runs.length === 1 ? 'one run' : `median of ${runs.length} runs`;
}

async function main(): Promise<void> {
  const total = Number(option('records', process.env['SERVE_BENCH_RECORDS'] ?? '100000'));
  const runs = Number(option('runs', '3'));
  const baselineRef = option('baseline', 'main');
  const batches = activityBatches(total);
  const bytes = batches.reduce((sum, batch) => sum + batch.reduce((s, data) => s + data.length, 0), 0);
  const work = mkdtempSync(join(tmpdir(), 'engagement-db-serve-bench-builds-'));
  try {
    console.log(
      `serve: ${total.toLocaleString('en-US')} records (${(bytes / 2 ** 20).toFixed(1)} MiB) of generated activity in ` +
        `PutRecordBatch calls of ${batchSize} from ${clients} SDK clients at once, default buffering; ` +
        `${runs} run(s) of each, on ${cpus().length} cores (wall-clock times; the machine may be shared)`,
    );
    execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'inherit' });
    const current = join(appRoot, 'bin', 'engagement-db.js');
    const baseline = buildBaseline(baselineRef, work);
    const results = { current: [] as Run[], baseline: [] as Run[], ingest: [] as Run[] };
    for (let run = 1; run <= runs; run++) {
      // Alternating, so that what else the machine does weighs on both alike.
      const order = run % 2 === 1 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
      for (const which of order)
        results[which].push(await throughServe(which === 'current' ? current : baseline, batches));
      results.ingest.push(await throughIngest(batches));
      const line = (which: keyof typeof results): string => {
        const last = results[which][results[which].length - 1] as Run;
        const cpu = last.cpuMs > 0 ? `, ${last.cpuMs.toFixed(0)} ms CPU` : '';
        return `${which} ${last.totalMs.toFixed(0)} ms${cpu} (${last.records} records, ${last.rows} rows)`;
      };
      console.log(`  run ${run}: ${line('baseline')}; ${line('current')}; ${line('ingest')}`);
    }
    for (const which of ['baseline', 'current'] as const) {
      for (const run of results[which]) {
        if (run.records !== total || run.rows !== (results.ingest[0] as Run).rows) {
          throw new Error(
            `${which}: ${run.records} records acknowledged and ${run.rows} rows in the lake; expected ${total} and ` +
              `${(results.ingest[0] as Run).rows} (as ingest() wrote)`,
          );
        }
      }
    }
    const format = (rate: number): string => Math.round(rate).toLocaleString('en-US').padStart(7);
    const current_ = rateOf(results.current);
    const baseline_ = rateOf(results.baseline);
    const ratio = current_ / baseline_;
    const perCpuSecond = (runs: readonly Run[]): number =>
      median(runs.map((run) => (run.records / run.cpuMs) * 1000));
    console.log(
      `baseline serve (${baselineRef}), accepted:      ${format(rateOf(results.baseline, (r) => r.acceptedMs))} records/s (${summary(results.baseline)})`,
    );
    console.log(
      `baseline serve (${baselineRef}), in the lake:   ${format(baseline_)} records/s (${summary(results.baseline)})`,
    );
    console.log(
      `this serve (spool), accepted durably:  ${format(rateOf(results.current, (r) => r.acceptedMs))} records/s (${summary(results.current)})`,
    );
    console.log(
      `this serve (spool), in the lake:       ${format(current_)} records/s (${summary(results.current)})`,
    );
    console.log(
      `ingest() directly, for reference:      ${format(rateOf(results.ingest))} records/s (${summary(results.ingest)})`,
    );
    console.log(`ratio this / baseline (in the lake): ${ratio.toFixed(2)}`);
    if (results.current.every((run) => run.cpuMs > 0) && results.baseline.every((run) => run.cpuMs > 0)) {
      const cpuRatio = perCpuSecond(results.current) / perCpuSecond(results.baseline);
      console.log(
        `records per CPU-second of the serving process (all its threads; less sensitive to a busy machine): ` +
          `baseline ${format(perCpuSecond(results.baseline))}, this ${format(perCpuSecond(results.current))}, ratio ${cpuRatio.toFixed(2)}`,
      );
    }
    const targets = [
      [
        `this serve at least ${targetRatio.toFixed(2)} of the baseline's records/s in the lake`,
        ratio >= targetRatio,
      ],
      [
        `at least ${targetRecordsPerSecond.toLocaleString('en-US')} records/s sustained into the lake`,
        current_ >= targetRecordsPerSecond,
      ],
    ] as const;
    for (const [target, met] of targets) console.log(`target: ${target}: ${met ? 'met' : 'NOT met'}`);
    if (targets.some(([, met]) => !met)) process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
