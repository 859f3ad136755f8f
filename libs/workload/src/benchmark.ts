/** How long some work took: wall-clock milliseconds, and CPU milliseconds of this process (all threads). */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * The middle value (the mean of the two middle ones for an even count): what every benchmark reports,
 * as it does not move with one slow run on a busy machine.
 *
 * @example median([30, 10, 20, 1000]) // 25
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values; measure at least one run.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The median wall and CPU times of several runs.
 *
 * @example medianTiming(runs.map((run) => run.timing))
 */
export function medianTiming(timings: readonly Timing[]): Timing {
  return { wallMs: median(timings.map((t) => t.wallMs)), cpuMs: median(timings.map((t) => t.cpuMs)) };
}

/**
 * Times one run of some work, awaited when it returns a promise.
 *
 * @example const { wallMs, cpuMs } = await timed(() => records.map((r) => mapper.map(TableName.events, r)));
 */
export async function timed(work: () => unknown): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * Runs some work once unmeasured (so that it runs compiled), then `runs` times, and gives the median times.
 *
 * @example const mapping = await measure(7, () => records.forEach((r) => mapper.map('events', r)));
 */
export async function measure(runs: number, work: () => unknown): Promise<Timing> {
  await work();
  const timings: Timing[] = [];
  for (let run = 0; run < runs; run += 1) timings.push(await timed(work));
  return medianTiming(timings);
}

/** One line of a benchmark report: what was timed, its median times, and anything else worth saying. */
export interface BenchmarkLine {
  readonly label: string;
  readonly timing: Timing;
  readonly note?: string;
}

/**
 * A benchmark's result: the baseline measured in the same run, and what is compared with it.
 * Rates are `count` per second of the chosen clock: `cpu` for work on one thread (steady on a busy
 * machine), `wall` for work spread over threads or processes.
 */
export interface BenchmarkReport {
  readonly title: string;
  readonly clock: 'cpu' | 'wall';
  /** What each run processed, e.g. 20000 `records`; without it no rate is printed. */
  readonly count?: number;
  readonly unit?: string;
  readonly baseline: BenchmarkLine;
  readonly measured: readonly BenchmarkLine[];
  /** The goal the benchmark shows, e.g. `15,000 records/s`, and whether this run met it. */
  readonly target?: { readonly label: string; readonly met: boolean };
}

/**
 * Prints a benchmark report: one line for the baseline and each measurement with its median times,
 * rate and ratio to the baseline's time, then the target; a missed target sets the exit status to 1.
 *
 * @example
 * ```ts
 * printBenchmark({ title: 'map 20,000 records, 7 runs', clock: 'cpu', count: 20_000, unit: 'records',
 *   baseline: { label: 'JSON.parse', timing: parse }, measured: [{ label: 'mapper.map', timing: mapping }],
 *   target: { label: '15,000 records/s', met } });
 * ```
 */
export function printBenchmark(
  report: BenchmarkReport,
  out: { write(text: string): unknown } = process.stdout,
): void {
  const width = Math.max(...[report.baseline, ...report.measured].map((line) => line.label.length));
  const baselineMs = clockMs(report, report.baseline.timing);
  const lineOf = (kind: string, line: BenchmarkLine, ratio?: number): string => {
    const ms = clockMs(report, line.timing);
    const parts = [
      `  ${kind}  ${line.label.padEnd(width)}`,
      `wall ${fixed(line.timing.wallMs)} ms`,
      `cpu ${fixed(line.timing.cpuMs)} ms`,
    ];
    if (report.count !== undefined) {
      const perSecond = Math.round((report.count / ms) * 1000).toLocaleString('en-US');
      parts.push(`${perSecond.padStart(11)} ${report.unit ?? 'items'}/s`);
    }
    if (ratio !== undefined) parts.push(`${ratio.toFixed(2)}x the baseline's time`);
    if (line.note !== undefined) parts.push(line.note);
    return parts.join('  ');
  };
  const lines = [
    `${report.title} (medians, rates by ${report.clock === 'cpu' ? 'CPU' : 'wall-clock'} time)`,
    lineOf('baseline', report.baseline),
    ...report.measured.map((line) => lineOf('measured', line, clockMs(report, line.timing) / baselineMs)),
    ...(report.target ? [`  target ${report.target.label}: ${report.target.met ? 'met' : 'NOT met'}`] : []),
  ];
  out.write(lines.join('\n') + '\n');
  // A missed target fails the benchmark's process, so a script or CI run notices it.
  if (report.target && !report.target.met) process.exitCode = 1;
}

function clockMs(report: BenchmarkReport, timing: Timing): number {
  return report.clock === 'cpu' ? timing.cpuMs : timing.wallMs;
}

function fixed(ms: number): string {
  return ms.toFixed(1).padStart(9);
}
