/** Median wall-clock and CPU milliseconds of a benchmark's runs. */
export interface Timing {
  /** Median wall-clock milliseconds of the runs. */
  readonly wall: number;
  /** Median CPU milliseconds (user + system, every thread of the process) of the runs. */
  readonly cpu: number;
}

/** Runs `run` once to warm up, then `runs` times, and gives the medians. */
export async function timed(runs: number, run: () => Promise<unknown>): Promise<Timing> {
  await run();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await run();
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(startCpu);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
