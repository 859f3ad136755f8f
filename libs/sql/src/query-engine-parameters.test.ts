import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalEvent, makeTempFolder, removeTempFolder, writeLake } from '../test/test-lake';
import { type QueryEngine, type QueryResult, QueryFailureKind, openQueryEngine } from './index';

const jan8at2330 = Date.UTC(2025, 0, 8, 23, 30, 43, 271);
const hostileValues = [
  "it's",
  "'; DROP VIEW sms_message_status; --",
  "x' OR '1'='1",
  'Zürich 東京 🙂',
  '"engagementdb-events-table"',
  '',
];

function rowsOf(result: QueryResult): Record<string, unknown>[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows;
}

describe('QueryEngine.query with parameters', () => {
  let root: string;
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    root = makeTempFolder('parameters');
    lake = path.join(root, 'lake');
    await writeLake(lake, {
      events: [
        canonicalEvent({ timestamp: jan8at2330, channel: 'text', messageId: 'm-1' }),
        canonicalEvent({ timestamp: jan8at2330 + 1000, channel: 'text', messageId: 'm-2' }),
        canonicalEvent({ timestamp: jan8at2330 + 2000, channel: 'email', messageId: "it's" }),
      ],
    });
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(root);
  });

  it('filters by a bound value', async () => {
    const sql =
      'SELECT count(*) AS n FROM "engagementdb-glue-db"."engagementdb-events-table" WHERE channel = ?';

    const text = await engine.query(sql, ['text']);
    const email = await engine.query(sql, ['email']);

    expect(rowsOf(text)).toEqual([{ n: 2 }]);
    expect(rowsOf(email)).toEqual([{ n: 1 }]);
  });

  it.each(hostileValues)('binds %j as a value, never as SQL', async (value) => {
    const result = await engine.query('SELECT ? AS value, count(*) AS n FROM sms_message_status', [value]);

    expect(rowsOf(result)).toEqual([{ value, n: 2 }]);
    expect(rowsOf(await engine.query('SELECT count(*) AS n FROM sms_message_status'))).toEqual([{ n: 2 }]);
  });

  it('matches a value holding a quote exactly', async () => {
    const result = await engine.query(
      'SELECT messageid FROM "engagementdb-events-table" WHERE messageid IN (?, ?)',
      ["it's", "x' OR '1'='1"],
    );

    expect(rowsOf(result)).toEqual([{ messageid: "it's" }]);
  });

  it('casts a bound string to a date or a timestamp where the SQL asks', async () => {
    const result = await engine.query(
      'SELECT count(*) AS n FROM sms_message_status WHERE message_timestamp >= CAST(? AS TIMESTAMP) AND CAST(message_timestamp AS DATE) <= CAST(? AS DATE)',
      ['2025-01-08 23:30:44.000', '2025-01-08'],
    );

    expect(rowsOf(result)).toEqual([{ n: 1 }]);
  });

  it('binds numbers, booleans and null', async () => {
    const result = await engine.query('SELECT ? + 1 AS number, ? AS flag, ? IS NULL AS missing', [
      41,
      true,
      null,
    ]);

    expect(rowsOf(result)).toEqual([{ number: 42, flag: true, missing: true }]);
  });

  it('reads a question mark inside a string literal as text, not as a placeholder', async () => {
    const result = await engine.query("SELECT '?' AS mark, ? AS value", ['bound']);

    expect(rowsOf(result)).toEqual([{ mark: '?', value: 'bound' }]);
  });

  it.each([
    ['too few values', 'SELECT ? AS a, ? AS b', ['one'], 2, 1],
    ['too many values', 'SELECT ? AS a', ['one', 'two'], 1, 2],
    ['values for a query without placeholders', 'SELECT 1 AS a', ['one'], 0, 1],
    ['no values for a query with a placeholder', 'SELECT ? AS a', [], 1, 0],
  ])('fails with %s', async (_, sql, parameters, placeholders, values) => {
    const result = await engine.query(sql, parameters);

    expect(result).toEqual({
      ok: false,
      error: {
        kind: QueryFailureKind.failed,
        message: `the query has ${placeholders} parameter placeholder(s) (?), got ${values} value(s); pass one value per ?, in order.`,
      },
    });
  });

  it.each([
    ['undefined', [undefined], 'parameter 1 is undefined'],
    ['an object', ['fine', { toString: () => 'x' }], 'parameter 2 is object'],
    ['NaN', [Number.NaN], 'parameter 1 is NaN'],
    ['not an array', 'text', "expected the query's parameters as an array of values, got string"],
  ])('fails for a parameter that is %s', async (_, parameters, message) => {
    const result = await engine.query('SELECT ? AS a, ? AS b', parameters as never);

    expect(result).toMatchObject({ ok: false, error: { kind: QueryFailureKind.failed } });
    expect(result.ok ? '' : result.error.message).toContain(message);
  });

  it('refuses a statement that is not a read, whatever its parameters', async () => {
    const result = await engine.query('COPY (SELECT 1) TO ?', [path.join(lake, 'copied.csv')]);

    expect(result).toMatchObject({ ok: false, error: { kind: QueryFailureKind.refused } });
    expect(fs.existsSync(path.join(lake, 'copied.csv'))).toBe(false);
  });

  it('refuses a file outside the lake given as a parameter', async () => {
    const outside = path.join(root, 'outside.parquet');
    fs.copyFileSync(
      fs
        .readdirSync(path.join(lake, 'events', '2025', '01', '08', '23'))
        .map((name) => path.join(lake, 'events', '2025', '01', '08', '23', name))[0],
      outside,
    );

    const result = await engine.query('SELECT count(*) AS n FROM read_parquet(?)', [outside]);

    expect(result).toMatchObject({
      ok: false,
      error: { kind: QueryFailureKind.refused, message: expect.stringContaining('Permission Error') },
    });
  });
});
