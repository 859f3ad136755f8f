import * as fs from 'node:fs';
import * as path from 'node:path';
import { canonicalEvent, makeTempFolder, removeTempFolder, writeLake } from '../test/test-lake';
import { type QueryEngine, type QueryResult, QueryFailureKind, openQueryEngine } from './index';

const jan8at2330 = Date.UTC(2025, 0, 8, 23, 30, 43, 271);
const eventCount = 'SELECT count(*) AS n FROM "engagementdb-events-table"';
const notARead = 'Only statements that read run here, one per query (SELECT, WITH, EXPLAIN, DESCRIBE, SHOW)';
const secret = 'top secret, outside the lake';

// A SQL string literal.
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

function rowsOf(result: QueryResult): Record<string, unknown>[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows;
}

/**
 * Untrusted SQL against a lake folder beside a folder it must not reach:
 * <root>/lake (3 events, plus links that point out) and <root>/outside (a secret, a Parquet file).
 */
describe('QueryEngine.query on untrusted SQL', () => {
  let root: string;
  let lake: string;
  let outside: string;
  let lakeFile: string;
  let secretFile: string;
  let outsideParquet: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    root = makeTempFolder('sandbox');
    lake = path.join(root, 'lake');
    outside = path.join(root, 'outside');
    fs.mkdirSync(outside);
    secretFile = path.join(outside, 'secret.txt');
    fs.writeFileSync(secretFile, `${secret}\n`);
    [lakeFile] = await writeLake(lake, {
      events: [0, 1, 2].map((i) => canonicalEvent({ timestamp: jan8at2330 + i * 1000 })),
    });
    outsideParquet = path.join(outside, 'copied.parquet');
    fs.copyFileSync(lakeFile, outsideParquet);
    fs.symlinkSync(outside, path.join(lake, 'link-to-outside'));
    fs.symlinkSync(secretFile, path.join(lake, 'link-to-secret.txt'));
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(root);
  });

  async function expectLakeIntact(fileBytes: Buffer): Promise<void> {
    expect(fs.readFileSync(lakeFile).equals(fileBytes)).toBe(true);
    expect(rowsOf(await engine.query(eventCount))).toEqual([{ n: 3 }]);
  }

  it('refuses COPY ... TO over a lake file and leaves the lake as it was', async () => {
    const before = fs.readFileSync(lakeFile);

    const result = await engine.query(
      `COPY (SELECT * FROM "engagementdb-events-table" LIMIT 1) TO ${literal(lakeFile)} (FORMAT parquet)`,
    );

    expect(result).toEqual({
      ok: false,
      error: {
        kind: QueryFailureKind.refused,
        message: `${notARead}; the SQL starting with COPY holds another kind: queries may not change the lake, the files around it or the engine's settings.`,
      },
    });
    await expectLakeIntact(before);
  });

  it.each([
    ['a file outside the lake', () => `read_text(${literal(secretFile)})`],
    ['/etc/passwd', () => `read_text('/etc/passwd')`],
    ['a path that leaves the lake with ..', () => `read_text(${literal(`${lake}/../outside/secret.txt`)})`],
    ['a link inside the lake to a file outside', () => `read_text(${literal(`${lake}/link-to-secret.txt`)})`],
    [
      'a link inside the lake to a folder outside',
      () => `read_text(${literal(`${lake}/link-to-outside/secret.txt`)})`,
    ],
    ['read_blob of a file outside', () => `read_blob(${literal(secretFile)})`],
    ['read_csv of a file outside', () => `read_csv(${literal(secretFile)})`],
    ['read_parquet of a file outside', () => `read_parquet(${literal(outsideParquet)})`],
    [
      'read_parquet through a link inside the lake',
      () => `read_parquet(${literal(`${lake}/link-to-outside/copied.parquet`)})`,
    ],
    ['glob of a folder outside', () => `glob(${literal(`${outside}/*`)})`],
    ['glob that leaves the lake with ..', () => `glob(${literal(`${lake}/../outside/*`)})`],
    ['glob through a link inside the lake', () => `glob(${literal(`${lake}/link-to-outside/*`)})`],
  ])('refuses to read %s', async (_, source) => {
    const result = await engine.query(`SELECT * FROM ${source()}`);

    expect(result).toEqual({
      ok: false,
      error: {
        kind: QueryFailureKind.refused,
        message: expect.stringMatching(/^Permission Error: Cannot access (file|directory) /),
      },
    });
    expect(result.ok ? '' : result.error.message).toContain(
      `(queries read only the files inside the lake folder ${lake})`,
    );
    expect(JSON.stringify(result)).not.toMatch(/top secret|root:/);
  });

  it('answers no rows for a file outside the lake named as a table', async () => {
    const result = await engine.query(`SELECT * FROM ${literal(secretFile)}`);

    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(result)).not.toContain('top secret');
  });

  it('reads a file inside the lake by its path', async () => {
    const result = await engine.query(`SELECT count(*) AS n FROM read_parquet(${literal(lakeFile)})`);

    expect(rowsOf(result)).toEqual([{ n: 3 }]);
  });

  it('reads a lake opened through a link to its folder', async () => {
    const link = path.join(root, 'link-to-lake');
    fs.symlinkSync(lake, link);
    const linked = await openQueryEngine({ lake: link });

    const result = await linked.query(eventCount).finally(() => linked.close());

    expect(rowsOf(result)).toEqual([{ n: 3 }]);
  });

  it.each([
    ['outside the lake', () => path.join(outside, 'attached.db')],
    ['inside the lake', () => path.join(lake, 'attached.db')],
  ])('refuses ATTACH of a database file %s and creates no file', async (_, file) => {
    const result = await engine.query(`ATTACH ${literal(file())} AS attached`);

    expect(result).toEqual({
      ok: false,
      error: { kind: QueryFailureKind.refused, message: expect.stringContaining(notARead) },
    });
    expect(fs.existsSync(file())).toBe(false);
  });

  it('reaches no network and loads no extension for a remote file', async () => {
    const result = await engine.query(`SELECT * FROM read_parquet('https://example.com/events.parquet')`);

    expect(result).toMatchObject({ ok: false, error: { kind: QueryFailureKind.refused } });
  });

  it('runs with external access limited to the lake, no extension installs or loads, the configuration locked', async () => {
    const result = await engine.query(
      `SELECT current_setting('enable_external_access') AS external_access,
        current_setting('allowed_directories') AS allowed,
        current_setting('autoinstall_known_extensions') AS autoinstall,
        current_setting('autoload_known_extensions') AS autoload,
        current_setting('lock_configuration') AS locked`,
    );

    expect(rowsOf(result)).toEqual([
      {
        external_access: false,
        allowed: [`${fs.realpathSync(lake)}${path.sep}`],
        autoinstall: false,
        autoload: false,
        locked: true,
      },
    ]);
  });

  it.each<[string, () => string, string]>([
    ['a second statement after a read', () => `SELECT 1; COPY (SELECT 1) TO ${literal(lakeFile)}`, notARead],
    ['a SET after a read', () => 'SELECT 1; SET enable_external_access = true', notARead],
    ['two reads', () => 'SELECT 1; SELECT 2', 'Only one SQL statement is allowed per query, got 2.'],
    ['an EXPLAIN and a second read', () => 'EXPLAIN SELECT 1; SELECT 2', 'got 2'],
    ['EXPLAIN ANALYZE of a COPY', () => `EXPLAIN ANALYZE COPY (SELECT 1) TO ${literal(lakeFile)}`, notARead],
    [
      'EXPLAIN with options of a COPY',
      () => `EXPLAIN (ANALYZE) COPY (SELECT 1) TO ${literal(lakeFile)}`,
      notARead,
    ],
    ['PREPARE of a COPY', () => `PREPARE p AS COPY (SELECT 1) TO ${literal(lakeFile)}`, notARead],
    ['EXECUTE', () => 'EXECUTE p', notARead],
    ['CALL', () => 'CALL pragma_version()', notARead],
    ['PRAGMA import_database', () => `PRAGMA import_database(${literal(lake)})`, notARead],
    ['query() running SQL text', () => `SELECT * FROM query('SELECT 42')`, 'query() is not available'],
    [
      'json_execute_serialized_sql()',
      () => `SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 42'))`,
      'json_execute_serialized_sql() is not available',
    ],
    [
      'enable_logging() to a file',
      () => `SELECT * FROM enable_logging(storage = 'file', storage_path = ${literal(lake)})`,
      'enable_logging() is not available',
    ],
    [
      'a table function in a subquery',
      () => `WITH x AS (SELECT 1 FROM checkpoint()) SELECT * FROM x`,
      'checkpoint() is not available',
    ],
    ['sleep_ms()', () => 'SELECT sleep_ms(600000)', 'sleep_ms() is not available'],
    ['CREATE TABLE', () => 'CREATE TABLE copied AS SELECT 1', notARead],
    [
      'INSERT into a lake table',
      () => `INSERT INTO "engagementdb-events-table" (channel) VALUES ('x')`,
      notARead,
    ],
    ['DROP of a lake table', () => 'DROP VIEW "engagementdb-events-table"', notARead],
    [
      'a redefinition of a lake table',
      () => 'CREATE OR REPLACE VIEW "engagementdb-events-table" AS SELECT 1',
      notARead,
    ],
    ['DETACH of the catalog', () => 'DETACH awsdatacatalog', notARead],
    ['a transaction', () => 'BEGIN TRANSACTION', notARead],
    ['no statement at all', () => '-- only a comment', 'got 0'],
    ...[
      'INSTALL httpfs',
      'FORCE INSTALL httpfs',
      'LOAD httpfs',
      "LOAD '/tmp/evil.duckdb_extension'",
      'UPDATE EXTENSIONS',
      'SET enable_external_access = true',
      'RESET enable_external_access',
      "SET allowed_directories = ['/']",
      'SET lock_configuration = false',
      'SET GLOBAL autoinstall_known_extensions = true',
      'SET VARIABLE x = 1',
      'PRAGMA enable_profiling',
    ].map((sql): [string, () => string, string] => [sql, () => sql, notARead]),
  ])('refuses %s and keeps the lake and the engine as they were', async (_, sql, message) => {
    const before = fs.readFileSync(lakeFile);

    const result = await engine.query(sql());

    expect(result).toEqual({
      ok: false,
      error: { kind: QueryFailureKind.refused, message: expect.stringContaining(message) },
    });
    await expectLakeIntact(before);
    expect(fs.readdirSync(lake).sort()).toEqual(['events', 'link-to-outside', 'link-to-secret.txt']);
  });

  it('refuses EXPORT DATABASE before DuckDB creates its folder', async () => {
    const folder = path.join(lake, 'exported');

    const result = await engine.query(`EXPORT DATABASE ${literal(folder)}`);

    expect(result).toEqual({
      ok: false,
      error: { kind: QueryFailureKind.refused, message: expect.stringContaining(notARead) },
    });
    expect(fs.existsSync(folder)).toBe(false);
  });

  it.each([
    ['SELECT', eventCount],
    ['WITH', `WITH e AS (SELECT * FROM "engagementdb-events-table") SELECT count(*) AS n FROM e`],
    ['FROM first', 'FROM "engagementdb-events-table" SELECT count(*) AS n'],
    ['VALUES', 'VALUES (1)'],
    ['EXPLAIN', `EXPLAIN ${eventCount}`],
    ['EXPLAIN ANALYZE', `EXPLAIN ANALYZE ${eventCount}`],
    ['EXPLAIN with options', `EXPLAIN (FORMAT json) ${eventCount}`],
    ['DESCRIBE', 'DESCRIBE "engagementdb-events-table"'],
    ['SHOW TABLES', 'SHOW TABLES'],
    ['SHOW of a table', 'SHOW "engagementdb-glue-db"."engagementdb-events-table"'],
    ['SUMMARIZE', 'SUMMARIZE "engagementdb-events-table"'],
    ['a read that mentions COPY and SET in text', `SELECT 'COPY x TO y; SET a = 1' AS text -- ATTACH`],
    ['generators', 'SELECT * FROM range(3), unnest([1, 2])'],
  ])('runs a read statement: %s', async (_, sql) => {
    const result = await engine.query(sql);

    expect(result).toMatchObject({ ok: true });
  });

  it('keeps answering after enable_logging() was refused', async () => {
    await engine.query(`SELECT * FROM enable_logging(storage = 'file', storage_path = ${literal(outside)})`);

    const result = await engine.query(eventCount);

    expect(rowsOf(result)).toEqual([{ n: 3 }]);
    expect(fs.readdirSync(outside).sort()).toEqual(['copied.parquet', 'secret.txt']);
  });
});
