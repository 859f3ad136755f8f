import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { makeTempFolder, removeTempFolder } from '../test/test-lake';
import {
  type QueryEngine,
  type QueryLimits,
  QueryFailureKind,
  SqlEngineError,
  checkQueryLimits,
  openQueryEngine,
} from './index';

// A cross join of two ranges of a million rows: a trillion rows to count, hours of work.
const endlessQuery = 'SELECT count(*) AS n FROM range(1000000) a, range(1000000) b';
// A hash table of 50 million distinct keys: far more than 64 MB.
const greedyQuery = 'SELECT count(DISTINCT range) AS n FROM range(50000000)';

describe('query limits', () => {
  let lake: string;

  beforeEach(() => {
    lake = makeTempFolder('limits');
  });

  afterEach(() => {
    removeTempFolder(lake);
  });

  async function withEngine<T>(
    limits: QueryLimits,
    act: (query: QueryEngine['query']) => Promise<T>,
  ): Promise<T> {
    const engine = await openQueryEngine({ lake, limits });
    try {
      return await act((sql) => engine.query(sql));
    } finally {
      engine.close();
    }
  }

  it('stops a query that runs past the time limit, and the engine answers the next one', async () => {
    const [stopped, next] = await withEngine({ timeMillis: 300 }, async (query) => [
      await query(endlessQuery),
      await query('SELECT 42 AS answer'),
    ]);
    expect(stopped).toEqual({
      ok: false,
      error: {
        kind: QueryFailureKind.timeLimit,
        message:
          "the query was stopped after 0.3 s, the engine's time limit; narrow it (a filter on ingest_timestamp reads fewer files) or raise the limit.",
      },
    });
    expect(next).toMatchObject({ ok: true, value: { rows: [{ answer: 42 }] } });
  });

  it('fails a query that needs more memory than the limit, and the engine answers the next one', async () => {
    const [stopped, next] = await withEngine({ memory: '64MB' }, async (query) => [
      await query(greedyQuery),
      await query('SELECT 42 AS answer'),
    ]);
    expect(stopped).toMatchObject({ ok: false, error: { kind: QueryFailureKind.memoryLimit } });
    expect(!stopped.ok && stopped.error.message).toMatch(
      /^the query needs more memory than the engine's limit of 64MB: Out of Memory Error: /,
    );
    expect(next).toMatchObject({ ok: true, value: { rows: [{ answer: 42 }] } });
  });

  it('runs the same queries to the end within larger limits', async () => {
    const result = await withEngine({ timeMillis: 60_000, memory: '4GiB' }, (query) =>
      query('SELECT count(DISTINCT range) AS n FROM range(1000000)'),
    );
    expect(result).toMatchObject({ ok: true, value: { rows: [{ n: 1000000 }] } });
  });

  it('keeps the limit out of reach of the query', async () => {
    const result = await withEngine({ memory: '64MB' }, (query) => query("SET memory_limit = '100GB'"));
    expect(result).toMatchObject({ ok: false, error: { kind: QueryFailureKind.refused } });
  });

  it.each([
    [
      { timeMillis: 0 },
      /^openQueryEngine: limits\.timeMillis must be a number of milliseconds above 0, got 0; leave it out for 120000\.$/,
    ],
    [{ timeMillis: Number.NaN }, /limits\.timeMillis must be a number of milliseconds above 0, got null/],
    [
      { memory: 'plenty' },
      /^openQueryEngine: limits\.memory is "plenty", which DuckDB does not read as a size \(.+\); give it as DuckDB writes sizes, such as '512MB' or '2GiB'\.$/,
    ],
  ])('refuses limits %j with a SqlEngineError', async (limits, message) => {
    const opening = openQueryEngine({ lake, limits });
    await expect(opening).rejects.toThrow(SqlEngineError);
    await expect(openQueryEngine({ lake, limits })).rejects.toThrow(message);
    await expect(checkQueryLimits(limits)).rejects.toThrow(message);
  });

  it('accepts with checkQueryLimits the sizes DuckDB reads, without a lake', async () => {
    for (const memory of ['512MB', '2GiB', '1.5 GB', '100000KB'])
      await expect(checkQueryLimits({ memory })).resolves.toBeUndefined();
  });
});

describe('QueryEngine.close', () => {
  it('stops a query still running and lets the process end', () => {
    // Closing DuckDB under a running statement never returns; a child process shows whether it ends.
    const lake = makeTempFolder('close');
    const script = [
      "const { openQueryEngine } = require('./src/index.ts');",
      '(async () => {',
      `  const engine = await openQueryEngine({ lake: ${JSON.stringify(lake)} });`,
      `  const running = engine.query(${JSON.stringify(endlessQuery)});`,
      '  await new Promise((resolve) => setTimeout(resolve, 300));',
      '  engine.close();',
      '  const result = await running;',
      '  process.stdout.write(JSON.stringify(result.ok ? "answered" : result.error.kind));',
      '})();',
    ].join('\n');
    try {
      const started = Date.now();
      const child = spawnSync(
        process.execPath,
        ['--require', 'tsx/cjs', '--conditions=@engagement-db/source', '-e', script],
        { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 },
      );

      expect(child.signal).toBeNull();
      expect(child.status).toBe(0);
      expect(JSON.parse(child.stdout)).toBe('failed');
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      removeTempFolder(lake);
    }
  });
});
