// First render of every dashboard sheet over a lake of 1,000,000 events of generated activity (the demo's data,
// through the real mapper and lake; `DASHBOARD_BENCH_EVENTS` for another size): the built `engagement-db
// dashboard` started afresh for each run (nothing cached), each sheet opened once in Debian's Chromium and timed
// from the navigation until the page marks itself ready, beside the CPU and wall time its statement took in the
// server. The baseline, measured in the same run, is a plain count(*) of the lake's events by the query engine.
//
// npm run bench:dashboard   (in apps/cli; DASHBOARD_BENCH_RUNS=3)
// Exits 1 when a sheet's median first render misses 3 s.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { engagementDashboard } from '@engagement-db/dashboards';
import { openQueryEngine } from '@engagement-db/sql';
import { type BenchmarkLine, measure, median, printBenchmark } from '@engagement-db/workload';
import {
  type SheetRender,
  launchChromium,
  openSheet,
  startBuiltDashboard,
} from '../../test/dashboard-browser';
import { fillLake } from '../../test/dashboard-lake';

const appRoot = path.join(__dirname, '..', '..');
const events = Number(process.env['DASHBOARD_BENCH_EVENTS'] ?? 1_000_000);
const runs = Number(process.env['DASHBOARD_BENCH_RUNS'] ?? 3);
const targetMs = 3000;

/** The lake of `events` events ending today, made once a day under the system temp folder. */
async function benchLake(): Promise<string> {
  const today = new Date();
  const lake = path.join(
    os.tmpdir(),
    `engagement-db-dashboard-bench-lake-${events}-${today.toISOString().slice(0, 10)}`,
  );
  const marker = path.join(lake, '_complete');
  if (fs.existsSync(marker)) return lake;
  fs.rmSync(lake, { recursive: true, force: true });
  const started = performance.now();
  await fillLake(lake, events, today);
  fs.writeFileSync(marker, '');
  process.stdout.write(`built the lake in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return lake;
}

async function main(): Promise<void> {
  execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'inherit' });
  const lake = await benchLake();

  const engine = await openQueryEngine({ lake });
  const baseline = await measure(runs, async () => {
    const counted = await engine.query(
      'SELECT count(*) AS "events" FROM "engagementdb-glue-db"."engagementdb-events-table"',
    );
    if (!counted.ok) throw new Error(`the baseline count failed: ${counted.error.message}`);
  });
  engine.close();

  const sheets = engagementDashboard.sheets.map((sheet) => sheet.id);
  const renders = new Map<string, SheetRender[]>(sheets.map((sheet) => [sheet, []]));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    for (let run = 0; run < runs; run += 1) {
      // A fresh server: no sheet cached. Its engine is opened by the lake's status first, as the page asks it.
      const dashboard = await startBuiltDashboard(lake);
      try {
        const status = await fetch(new URL('api/lake', dashboard.url));
        if (!status.ok) throw new Error(`GET /api/lake answered ${status.status}: ${await status.text()}`);
        for (const sheet of sheets) renders.get(sheet)?.push(await openSheet(page, dashboard.url, sheet));
      } finally {
        await page.goto('about:blank');
        await dashboard.stop();
      }
    }
  } finally {
    await browser.close();
  }

  const measured: BenchmarkLine[] = sheets.map((sheet) => {
    const times = renders.get(sheet) ?? [];
    return {
      label: `first render of ${sheet}`,
      timing: {
        wallMs: median(times.map((render) => render.firstRenderMs)),
        cpuMs: median(times.map((render) => render.statement.cpuMs)),
      },
      note: `its statement ${median(times.map((render) => render.statement.wallMs)).toFixed(0)} ms wall (cpu: the server's)`,
    };
  });
  printBenchmark({
    title:
      `dashboard over ${events.toLocaleString('en-US')} events, ${runs} runs, a fresh server each ` +
      `(${os.availableParallelism()} cores${os.loadavg()[0] > os.availableParallelism() ? ', busy' : ''}: ` +
      `load ${os.loadavg()[0].toFixed(1)})`,
    clock: 'wall',
    baseline: { label: 'count(*) of the events', timing: baseline },
    measured,
    target: {
      label: `every sheet's first render under ${targetMs / 1000} s`,
      met: measured.every((line) => line.timing.wallMs < targetMs),
    },
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
