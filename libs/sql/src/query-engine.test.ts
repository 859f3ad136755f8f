import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  conversationTable,
  duckdbColumnsOf,
  eventTable,
  partitionPathOf,
} from '@engagement-db/canonical-model';
import {
  canonicalConversation,
  canonicalEvent,
  makeTempFolder,
  removeTempFolder,
  writeLake,
} from '../test/test-lake';
import { type QueryEngine, type QueryResult, QueryFailureKind, openQueryEngine } from './index';

const jan8at2330 = Date.UTC(2025, 0, 8, 23, 30, 43, 271);
const hour = 3_600_000;
const eventsQuery = 'SELECT count(*) AS n FROM "engagementdb-glue-db"."engagementdb-events-table"';

function rowsOf(result: QueryResult): Record<string, unknown>[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows;
}

describe('openQueryEngine', () => {
  let lake: string;

  beforeEach(() => {
    lake = makeTempFolder('engine');
  });

  afterEach(() => {
    removeTempFolder(lake);
  });

  async function withEngine<T>(act: (engine: QueryEngine) => Promise<T>): Promise<T> {
    const engine = await openQueryEngine({ lake });
    try {
      return await act(engine);
    } finally {
      engine.close();
    }
  }

  it.each([
    ['events', eventTable, '"engagementdb-glue-db"."engagementdb-events-table"'],
    ['events, unqualified', eventTable, '"engagementdb-events-table"'],
    [
      'events, with the catalog',
      eventTable,
      'AwsDataCatalog."engagementdb-glue-db"."engagementdb-events-table"',
    ],
    ['conversations', conversationTable, '"engagementdb-glue-db"."engagementdb-conversations-table"'],
    ['conversations, unqualified', conversationTable, '"engagementdb-conversations-table"'],
  ])(
    'gives an empty %s table with the canonical columns when the lake holds no data yet',
    async (_, table, name) => {
      const result = await withEngine((engine) => engine.query(`SELECT * FROM ${name}`));

      expect(result).toEqual({
        ok: true,
        value: {
          columns: [
            ...glueLikeColumns(
              table === eventTable ? duckdbColumnsOf(eventTable) : duckdbColumnsOf(conversationTable),
            ),
            { name: 'ingest_timestamp', type: 'timestamp' },
          ],
          rows: [],
        },
      });
    },
  );

  it('gives an empty table when an hour folder holds no file', async () => {
    fs.mkdirSync(path.join(lake, 'events', '2025', '01', '08', '23'), { recursive: true });

    const result = await withEngine((engine) => engine.query(eventsQuery));

    expect(rowsOf(result)).toEqual([{ n: 0 }]);
  });

  it('reads every row with its canonical values and the hour of its folder', async () => {
    const event = canonicalEvent({
      timestamp: jan8at2330,
      channel: 'email',
      destinationAddress: ['a@example.com', 'b@example.com'],
      tags: { campaign: 'spring' },
      channelData: { subject: 'Hi' },
      messageId: 'm-1',
    });
    const conversation = canonicalConversation({
      timestamp: jan8at2330 + hour,
      message: 'hello',
      sessionId: 's-1',
    });
    await writeLake(lake, { events: [event], conversations: [conversation] });

    const [eventRows, conversationRows] = await withEngine(async (engine) => [
      rowsOf(await engine.query('SELECT * FROM "engagementdb-events-table"')),
      rowsOf(await engine.query('SELECT * FROM "engagementdb-conversations-table"')),
    ]);

    expect(eventRows).toEqual([
      {
        ...Object.fromEntries(Object.entries(event).map(([key, value]) => [key.toLowerCase(), value])),
        ingest_timestamp: '2025-01-08 23:00:00.000',
      },
    ]);
    expect(conversationRows).toEqual([
      {
        ...Object.fromEntries(Object.entries(conversation).map(([key, value]) => [key.toLowerCase(), value])),
        ingest_timestamp: '2025-01-09 00:00:00.000',
      },
    ]);
  });

  it('leaves out files and folders that are not committed data', async () => {
    const events = [canonicalEvent({ timestamp: jan8at2330 })];
    await writeLake(lake, { events });
    await writeLake(lake, { events }, '_uncommitted.parquet');
    await writeLake(lake, { events }, '.hidden.parquet');
    await writeLake(path.join(lake, '_staging'), { events });
    await writeLake(path.join(lake, 'events', '_staging'), { events });

    const result = await withEngine((engine) => engine.query(eventsQuery));

    expect(rowsOf(result)).toEqual([{ n: 1 }]);
  });

  it('follows files that arrive and leave after it was opened', async () => {
    const counts = await withEngine(async (engine) => {
      const before = rowsOf(await engine.query(eventsQuery));
      const files = await writeLake(lake, { events: [canonicalEvent({ timestamp: jan8at2330 })] });
      const during = rowsOf(await engine.query(eventsQuery));
      files.forEach((file) => fs.rmSync(file));
      const after = rowsOf(await engine.query(eventsQuery));
      return [before, during, after];
    });

    expect(counts).toEqual([[{ n: 0 }], [{ n: 1 }], [{ n: 0 }]]);
  });

  it('opens only the files of the hours a filter on ingest_timestamp keeps', async () => {
    const events = [0, 1, 2].map((h) => canonicalEvent({ timestamp: jan8at2330 + h * hour }));
    await writeLake(lake, { events });

    const plan = await withEngine((engine) =>
      engine.query(
        `EXPLAIN ANALYZE SELECT count(*) FROM "engagementdb-events-table" WHERE ingest_timestamp >= TIMESTAMP '2025-01-09 01:00:00'`,
      ),
    );

    const text = JSON.stringify(rowsOf(plan));
    expect(/Scanning Files:[^0-9]*(\d+)\/(\d+)/.exec(text)?.slice(1)).toEqual(['1', '3']);
    expect(partitionPathOf(events[2].timestamp)).toBe('2025/01/09/01');
  });

  describe('given the data files to read', () => {
    const relative = (file: string): string => path.relative(lake, file).split(path.sep).join('/');

    it('reads exactly the listed files, whatever else the hour folders hold, and follows a new list', async () => {
      const [listed] = await writeLake(lake, { events: [canonicalEvent({ timestamp: jan8at2330 })] });
      await writeLake(
        lake,
        { events: [canonicalEvent({ timestamp: jan8at2330 })] },
        'part-not-listed.parquet',
      );
      let files = { events: [relative(listed)], conversations: [] as string[] };
      const engine = await openQueryEngine({ lake, dataFiles: () => files });
      try {
        const first = rowsOf(await engine.query(eventsQuery));
        files = { events: [], conversations: [] };
        const emptied = rowsOf(await engine.query(eventsQuery));
        files = {
          events: [relative(listed), 'events/2025/01/08/23/part-not-listed.parquet'],
          conversations: [],
        };
        const both = rowsOf(await engine.query(eventsQuery));

        expect([first, emptied, both]).toEqual([[{ n: 1 }], [{ n: 0 }], [{ n: 2 }]]);
      } finally {
        engine.close();
      }
    });

    it('asks for the files before every query, and reads a file again only for a new list', async () => {
      const [file] = await writeLake(lake, { events: [canonicalEvent({ timestamp: jan8at2330 })] });
      const files = { events: [relative(file)], conversations: [] };
      let asked = 0;
      const engine = await openQueryEngine({ lake, dataFiles: () => (asked++, files) });
      try {
        await engine.query(eventsQuery);
        // The same array: the list DuckDB holds stays, so a file written over since is read as it is now.
        await writeLake(lake, { events: [0, 1].map(() => canonicalEvent({ timestamp: jan8at2330 })) });
        const after = rowsOf(await engine.query(eventsQuery));

        expect(after).toEqual([{ n: 2 }]);
        expect(asked).toBe(2);
      } finally {
        engine.close();
      }
    });

    it('opens only the listed files of the hours a filter on ingest_timestamp keeps', async () => {
      const events = [0, 1, 2].map((h) => canonicalEvent({ timestamp: jan8at2330 + h * hour }));
      const files = (await writeLake(lake, { events })).map(relative);
      const engine = await openQueryEngine({ lake, dataFiles: () => ({ events: files, conversations: [] }) });
      try {
        const plan = await engine.query(
          `EXPLAIN ANALYZE SELECT count(*) FROM "engagementdb-events-table" WHERE ingest_timestamp = TIMESTAMP '2025-01-09 00:00:00'`,
        );

        expect(/Scanning Files:[^0-9]*(\d+)\/(\d+)/.exec(JSON.stringify(rowsOf(plan)))?.slice(1)).toEqual([
          '1',
          '3',
        ]);
      } finally {
        engine.close();
      }
    });

    it('fails a query naming a listed file that is missing', async () => {
      const files = { events: ['events/2025/01/08/23/part-gone.parquet'], conversations: [] };
      const engine = await openQueryEngine({ lake, dataFiles: () => files });
      try {
        const result = await engine.query(eventsQuery);

        expect(result).toEqual({
          ok: false,
          error: {
            kind: QueryFailureKind.failed,
            message: expect.stringMatching(
              /part-gone\.parquet[\s\S]*\n\(a data file of the lake's list of committed files is missing from its folder\)$/,
            ),
          },
        });
      } finally {
        engine.close();
      }
    });
  });

  it('throws QueryEngineOptionsError naming the path when there is no lake folder', async () => {
    const missing = path.join(lake, 'missing');

    const opening = openQueryEngine({ lake: missing });

    await expect(opening).rejects.toMatchObject({
      name: 'QueryEngineOptionsError',
      message: `no lake at ${missing}: the folder does not exist; pass the folder that ingest or serve wrote the lake into.`,
    });
  });

  it('throws QueryEngineOptionsError when the lake path is a file', async () => {
    const file = path.join(lake, 'not-a-lake.txt');
    fs.writeFileSync(file, 'x');

    const opening = openQueryEngine({ lake: file });

    await expect(opening).rejects.toMatchObject({
      name: 'QueryEngineOptionsError',
      message: `no lake at ${file}: it is a file, expected the lake folder (holding events/ and conversations/).`,
    });
  });

  it.each(['', '  '])('throws QueryEngineOptionsError for the empty lake path %j', async (empty) => {
    const opening = openQueryEngine({ lake: empty });

    await expect(opening).rejects.toMatchObject({
      name: 'QueryEngineOptionsError',
      message: 'the lake path is empty; give the lake folder, such as ./engagement-lake.',
    });
  });

  it.each(['\\', '[', '*', '?'])(
    'throws QueryEngineOptionsError when the lake path holds %s, which DuckDB reads as a file pattern',
    async (character) => {
      const folder = path.join(lake, `lake${character}1`);
      fs.mkdirSync(folder);

      const opening = openQueryEngine({ lake: folder });

      await expect(opening).rejects.toMatchObject({
        name: 'QueryEngineOptionsError',
        message: `the lake path ${folder} contains '${character}', which DuckDB reads as part of a file pattern; use a lake folder whose path has none of \\ * ? [`,
      });
    },
  );

  it('rejects with QueryEngineClosedError after close', async () => {
    const engine = await openQueryEngine({ lake });
    engine.close();

    const querying = engine.query('SELECT 1');

    await expect(querying).rejects.toMatchObject({
      name: 'QueryEngineClosedError',
      message: `QueryEngine.query: the engine over ${lake} is closed; open a new one with openQueryEngine({ lake }).`,
    });
  });
});

function glueLikeColumns(columns: { name: string; type: string }[]): { name: string; type: string }[] {
  const athenaType: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    'VARCHAR[]': 'array(varchar)',
    'MAP(VARCHAR, VARCHAR)': 'map(varchar, varchar)',
  };
  return columns.map((c) => ({ name: c.name, type: athenaType[c.type] }));
}

describe('QueryEngine.query', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    lake = makeTempFolder('functions');
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(lake);
  });

  async function valueOf(expression: string): Promise<unknown> {
    return rowsOf(await engine.query(`SELECT ${expression} AS v`))[0].v;
  }

  it.each([
    ["DATE_ADD('day', -7, TIMESTAMP '2025-01-08 10:00:00')", '2025-01-01 10:00:00.000'],
    ["DATE_ADD('hour', 3, TIMESTAMP '2025-01-08 22:00:00')", '2025-01-09 01:00:00.000'],
    ["date_add('month', 1, DATE '2025-01-31')", '2025-02-28'],
    ["date_add('quarter', 1, TIMESTAMP '2025-01-08 10:00:00')", '2025-04-08 10:00:00.000'],
    ["date_diff('day', TIMESTAMP '2025-01-01 23:00:00', TIMESTAMP '2025-01-02 01:00:00')", 0],
    ["date_diff('hour', TIMESTAMP '2025-01-01 23:00:00', TIMESTAMP '2025-01-02 01:30:00')", 2],
    ['FROM_UNIXTIME(1736379043)', '2025-01-08 23:30:43.000 UTC'],
    ['from_unixtime(1736379043271 / 1000)', '2025-01-08 23:30:43.000 UTC'],
    ["TO_UNIXTIME(TIMESTAMP '2025-01-08 23:30:43.271')", 1736379043.271],
    ["from_iso8601_timestamp('2025-01-08T23:30:43.271Z')", '2025-01-08 23:30:43.271 UTC'],
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a.b')`, 'x'],
    [`json_extract_scalar('{"a":{"b":"x"}}', '$.a')`, null],
    [`json_extract_scalar('{"a":[10,20]}', '$.a[1]')`, '20'],
    [`json_extract_scalar('{"a":true}', '$.a')`, 'true'],
    [`json_extract_scalar('not json', '$.a')`, null],
    ["cardinality(ARRAY['a', 'b', 'c'])", 3],
    ['cardinality(ARRAY[1, 2])', 2],
    ["cardinality(MAP(ARRAY['k1', 'k2'], ARRAY['v1', 'v2']))", 2],
    ["ARRAY['x', 'y'][1]", 'x'],
    ["element_at(ARRAY['x', 'y'], -1)", 'y'],
    ["MAP(ARRAY['k'], ARRAY['v'])['k']", 'v'],
    ["MAP(ARRAY['k'], ARRAY['v'])['missing']", null],
    ["element_at(MAP(ARRAY['k'], ARRAY['v']), 'k')", 'v'],
    ["CAST('0.00645' AS DECIMAL(10,4))", 0.0065],
    ["CAST('12.5' AS DECIMAL(10,4)) * 2", 25],
    ["DATE_TRUNC('hour', TIMESTAMP '2025-01-08 23:30:43')", '2025-01-08 23:00:00.000'],
    ["DATE_TRUNC('day', TIMESTAMP '2025-01-08 23:30:43')", '2025-01-08 00:00:00.000'],
    ["REGEXP_EXTRACT('order-1234-x', '[0-9]+')", '1234'],
    ["REGEXP_EXTRACT('order-x', '[0-9]+')", null],
    ["regexp_extract('a1b2', '([a-z])([0-9])', 2)", '1'],
    ["regexp_replace('a1b2', '[0-9]')", 'ab'],
    ["regexp_replace('a1b2', '([a-z])([0-9])', '$2$1')", '1a2b'],
    ["regexp_like('abc', 'b')", true],
    ["array_join(ARRAY['a', 'b'], ',')", 'a,b'],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7.0 / 2', 3.5],
    ["'cardinality(x) -- not a call'", 'cardinality(x) -- not a call'],
  ])('evaluates %s as Athena does', async (expression, expected) => {
    const value = await valueOf(expression);

    expect(value).toEqual(expected);
  });

  it('reads CURRENT_TIMESTAMP on the UTC clock', async () => {
    const before = Date.now();

    const [zoned, wallClock] = await Promise.all([
      valueOf('CURRENT_TIMESTAMP'),
      valueOf('CAST(CURRENT_TIMESTAMP AS TIMESTAMP)'),
    ]);

    expect(zoned).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} UTC$/);
    const wallClockMillis = Date.parse(`${String(wallClock).replace(' ', 'T')}Z`);
    expect(Math.abs(wallClockMillis - before)).toBeLessThan(10_000);
  });

  it.each([
    ['9007199254740993', '9007199254740993', 'bigint'],
    ['CAST(42 AS BIGINT)', 42, 'bigint'],
    ["CAST('1.2500' AS DECIMAL(10,4))", 1.25, 'decimal(10,4)'],
    ["TIMESTAMP '2025-01-08 23:30:43.271'", '2025-01-08 23:30:43.271', 'timestamp'],
    ["ARRAY['a', NULL]", ['a', null], 'array(varchar)'],
    ["MAP(ARRAY['k'], ARRAY['v'])", { k: 'v' }, 'map(varchar, varchar)'],
    ["{'a': 1, 'b': ARRAY['x']}", { a: 1, b: ['x'] }, 'row(a integer, b array(varchar))'],
    ['CAST(NULL AS VARCHAR)', null, 'varchar'],
    ["DATE '2025-01-08'", '2025-01-08', 'date'],
  ])('gives %s as the JSON-able %j of type %s', async (expression, expected, type) => {
    const result = await engine.query(`SELECT ${expression} AS v`);

    expect(result).toEqual({ ok: true, value: { columns: [{ name: 'v', type }], rows: [{ v: expected }] } });
  });

  it('names a column after the Athena function the query wrote', async () => {
    const result = await engine.query("SELECT cardinality(ARRAY['a'])");

    const name = result.ok ? result.value.columns[0].name : result.error.message;
    expect(name).toMatch(/^cardinality\(/);
  });

  it.each([
    ['SELEC 1', 'Parser Error: syntax error at or near "SELEC"'],
    ['SELECT nope FROM "engagementdb-events-table"', 'Binder Error: Referenced column "nope" not found'],
    [
      'SELECT * FROM "engagementdb-glue-db"."missing-table"',
      'Catalog Error: Table with name missing-table does not exist',
    ],
    ['SELECT cardinality(1)', "(Athena's cardinality() runs here as athena_cardinality())"],
    ["SELECT date_add('fortnight', 1, CURRENT_TIMESTAMP)", "date_add: unknown unit 'fortnight'"],
  ])('answers ok:false with the engine message for %j', async (sql, message) => {
    const result = await engine.query(sql);

    expect(result).toEqual({
      ok: false,
      error: { kind: QueryFailureKind.failed, message: expect.stringContaining(message) },
    });
  });

  it('orders NULLs last in both directions, as Athena does', async () => {
    const result = await engine.query('SELECT x FROM (VALUES (1), (NULL), (2)) AS t(x) ORDER BY x DESC');

    expect(rowsOf(result)).toEqual([{ x: 2 }, { x: 1 }, { x: null }]);
  });

  describe('division and remainder, as Trino (Athena engine 3) computes them', () => {
    const columns = (sql: string) =>
      `SELECT ${sql} AS v FROM (VALUES (7, 0, 2, 7.5, 0.0, 7e0, 0e0)) AS t(i, zero, two, dec, dec_zero, dbl, dbl_zero)`;

    it.each([
      ['i / two', 3, 'integer'],
      ['-i / two', -3, 'integer'],
      ['CAST(i AS BIGINT) / two', 3, 'bigint'],
      ['CAST(9007199254740993 AS BIGINT) / 1', '9007199254740993', 'bigint'],
      ['dec / two', 3.75, 'double'],
      ['dbl / two', 3.5, 'double'],
      ['dbl / zero', 'Infinity', 'double'],
      ['-dbl / zero', '-Infinity', 'double'],
      ['dbl_zero / zero', 'NaN', 'double'],
      ['i / dbl_zero', 'Infinity', 'double'],
      ['dbl / -dbl_zero', '-Infinity', 'double'],
      ['CAST(NULL AS INTEGER) / zero', null, 'integer'],
      ['i % two', 1, 'integer'],
      ['-i % two', -1, 'integer'],
      ['mod(-i, two)', -1, 'integer'],
      ['dec % two', 1.5, 'decimal(11,1)'],
      ['dbl % zero', 'NaN', 'double'],
      ['CAST(NULL AS INTEGER) % zero', null, 'integer'],
    ])('answers %s with %j of type %s', async (expression, value, type) => {
      const result = await engine.query(columns(expression));

      expect(result).toEqual({ ok: true, value: { columns: [{ name: 'v', type }], rows: [{ v: value }] } });
    });

    it.each([
      'i / zero',
      'CAST(i AS BIGINT) / zero',
      'dec / zero',
      'dec / dec_zero',
      'i / dec_zero',
      'i % zero',
      'dec % dec_zero',
      'mod(i, zero)',
      '7 / 0',
      '7.5 / 0',
    ])('fails %s with "Division by zero"', async (expression) => {
      const result = await engine.query(columns(expression));

      expect(result).toEqual({
        ok: false,
        error: {
          kind: QueryFailureKind.failed,
          message: expect.stringMatching(/^Invalid Input Error: Division by zero/),
        },
      });
    });

    it('divides an aggregate by an aggregate with integer division', async () => {
      const result = await engine.query(
        'SELECT sum(x) / count(*) AS mean, avg(x) / 2 AS half FROM (VALUES (1), (2), (4)) AS t(x)',
      );

      expect(result).toEqual({
        ok: true,
        value: {
          columns: [
            { name: 'mean', type: 'bigint' },
            { name: 'half', type: 'double' },
          ],
          rows: [{ mean: 2, half: 7 / 6 }],
        },
      });
    });

    it('fails the whole query when one row divides an integer by zero', async () => {
      const result = await engine.query('SELECT 10 / x AS v FROM (VALUES (5), (0)) AS t(x)');

      expect(result).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('Division by zero') },
      });
    });

    it('names an unnamed division column as the query wrote it', async () => {
      const result = await engine.query('SELECT 7 / 2');

      expect(result).toMatchObject({ ok: true, value: { columns: [{ name: '(7 / 2)', type: 'integer' }] } });
    });
  });

  it('keeps answering after a bad query', async () => {
    await engine.query('SELEC 1');

    const result = await engine.query('SELECT 1 AS one');

    expect(rowsOf(result)).toEqual([{ one: 1 }]);
  });
});
