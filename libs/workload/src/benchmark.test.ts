import { type BenchmarkReport, measure, median, medianTiming, printBenchmark, timed } from './benchmark';

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[30, 10, 20, 1000], 25],
  ])('of %p is %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('refuses no values with a message that says what to do', () => {
    expect(() => median([])).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: 'median: no values; measure at least one run.',
      }),
    );
  });
});

describe('medianTiming', () => {
  it('takes the median wall and CPU times separately', () => {
    const timing = medianTiming([
      { wallMs: 10, cpuMs: 9 },
      { wallMs: 30, cpuMs: 1 },
      { wallMs: 20, cpuMs: 5 },
    ]);

    expect(timing).toEqual({ wallMs: 20, cpuMs: 5 });
  });
});

describe('timed and measure', () => {
  function spin(ms: number): void {
    const until = performance.now() + ms;
    while (performance.now() < until);
  }

  it('times CPU-bound work on both clocks', async () => {
    const timing = await timed(() => spin(30));

    expect(timing.wallMs).toBeGreaterThanOrEqual(30);
    expect(timing.cpuMs).toBeGreaterThan(0);
  });

  it('waits for asynchronous work, which uses no CPU while it waits', async () => {
    const timing = await timed(() => new Promise((resolve) => setTimeout(resolve, 200)));

    expect(timing.wallMs).toBeGreaterThanOrEqual(195);
    // The process's CPU time: the garbage collector's threads may still work for earlier tests.
    expect(timing.cpuMs).toBeLessThan(timing.wallMs / 2);
  });

  it('runs the work once more than measured, to warm it up', async () => {
    let calls = 0;

    await measure(3, () => (calls += 1));

    expect(calls).toBe(4);
  });
});

describe('printBenchmark', () => {
  const report: BenchmarkReport = {
    title: 'map 1,000 records',
    clock: 'cpu',
    count: 1000,
    unit: 'records',
    baseline: { label: 'JSON.parse', timing: { wallMs: 110, cpuMs: 100 } },
    measured: [{ label: 'mapper.map', timing: { wallMs: 420, cpuMs: 400 }, note: '0 failures' }],
    target: { label: '2,000 records/s', met: true },
  };

  it('prints the rates by the chosen clock and the ratio to the baseline', () => {
    let text = '';

    printBenchmark(report, { write: (chunk: string) => (text += chunk) });

    expect(text.split('\n')).toEqual([
      'map 1,000 records (medians, rates by CPU time)',
      '  baseline  JSON.parse  wall     110.0 ms  cpu     100.0 ms       10,000 records/s',
      "  measured  mapper.map  wall     420.0 ms  cpu     400.0 ms        2,500 records/s  4.00x the baseline's time  0 failures",
      '  target 2,000 records/s: met',
      '',
    ]);
  });

  it('leaves the rate out without a count and uses wall-clock time when asked', () => {
    let text = '';

    printBenchmark(
      { ...report, clock: 'wall', count: undefined, target: undefined },
      { write: (chunk: string) => (text += chunk) },
    );

    expect(text).toContain('(medians, rates by wall-clock time)');
    expect(text).not.toContain('records/s');
    expect(text).toContain("3.82x the baseline's time");
  });
});
