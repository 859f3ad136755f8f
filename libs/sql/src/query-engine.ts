import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  type Failure,
  type Result,
  type TableName,
  type TableSchema,
  canonicalTables,
  glueDatabaseName,
} from '@engagement-db/canonical-model';
import { analyticsViews } from './analytics-views';
import { QueryEngineClosedError, QueryEngineOptionsError, SqlEngineError } from './errors';
import {
  athenaFunctionMacros,
  athenaOperatorMacros,
  athenaSessionSettings,
  renamedAthenaFunctions,
} from './internal/athena-functions';
import { type RenamedFunction, type RewrittenSql, rewriteAthenaSql } from './internal/athena-rewrite';
import {
  dataFileGlob,
  dataFileSelect,
  dataFilesVariable,
  emptyTableSelect,
  quoteIdentifier,
  quoteLiteral,
} from './internal/lake-views';
import { defineAnalyticsViews } from './internal/local-analytics-views';
import { prepareReadStatement } from './internal/read-statement';
import { parseViewStatement } from './internal/view-statement';
import { athenaTypeNameOf, jsonValueOf } from './internal/result-values';
import { sandboxInstanceOptions, sandboxSettings } from './internal/sandbox-settings';
import { checkLakePath } from './lake-path';

/** A result column: its name and its type as Athena spells it (`varchar`, `array(varchar)`, `decimal(38,4)`). */
export interface QueryColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * The rows a query gave, as plain JSON-able values: numbers for integers when safe (else digits as
 * text) and decimals; `YYYY-MM-DD HH:MM:SS.sss` text for timestamps (` UTC` appended when zoned);
 * arrays for arrays; objects for maps and rows.
 */
export interface QueryAnswer {
  readonly columns: QueryColumn[];
  readonly rows: Record<string, unknown>[];
}

/**
 * Why a query gave no rows: `refused` when the SQL may not run here (it is not a read, holds more
 * than one statement, calls a function that does more than read, or reaches a file outside the
 * lake), `failed` when DuckDB could not answer it (syntax, unknown names, types, division by zero),
 * `time-limit` or `memory-limit` when it was stopped for running longer or needing more memory than
 * the engine's {@link QueryLimits} allow.
 *
 * @example if (!result.ok && result.error.kind === QueryFailureKind.refused) response.statusCode = 403;
 */
export const QueryFailureKind = {
  refused: 'refused',
  failed: 'failed',
  timeLimit: 'time-limit',
  memoryLimit: 'memory-limit',
} as const;
export type QueryFailureKind = (typeof QueryFailureKind)[keyof typeof QueryFailureKind];

/** A query that gave no rows, with the engine's message. */
export type QueryFailure = Failure<QueryFailureKind>;

/** The answer to a query, or why there is none. */
export type QueryResult = Result<QueryAnswer, QueryFailure>;

/**
 * A value for a `?` placeholder of a query. It is bound to the prepared statement, never written into
 * the SQL text: a string is a VARCHAR (cast it where another type is wanted: `CAST(? AS DATE)`), a
 * number a DOUBLE, a boolean a BOOLEAN.
 */
export type QueryParameter = string | number | boolean | null;

/**
 * What one query may use, so that no SQL can hold the process: a query running longer than
 * `timeMillis` is interrupted, one needing more than `memory` fails (nothing spills to disk).
 */
export interface QueryLimits {
  /** Longest a query may run, in milliseconds. @default 120000 */
  readonly timeMillis?: number;
  /** Most memory the engine may use, as DuckDB writes sizes (`512MB`, `2GiB`). @default half the machine's memory */
  readonly memory?: string;
}

/** The limits a query engine applies when none are given. */
export const defaultQueryLimits: Required<QueryLimits> = {
  timeMillis: 120_000,
  memory: `${Math.floor(os.totalmem() / 2 / 2 ** 20)}MiB`,
};

/** Athena SQL over a local lake. */
export interface QueryEngine {
  /**
   * Runs one Athena SQL statement that reads. Never throws for a bad query: it comes back as
   * `{ ok: false, error: { kind, message } }`, `kind` telling a refused statement from a failed one.
   * `parameters` are the values of the statement's `?` placeholders, in order, bound to the prepared
   * statement (never pasted into the SQL); a count that differs from the placeholders' fails.
   *
   * @example await engine.query('SELECT channel, count(*) FROM "engagementdb-events-table" GROUP BY 1')
   * @example await engine.query('SELECT count(*) FROM sms_message_status WHERE carrier_name = ?', ['Verizon Wireless'])
   */
  query(athenaSql: string, parameters?: readonly QueryParameter[]): Promise<QueryResult>;
  /**
   * Runs one Athena statement that defines a view of the Glue database: `CREATE [OR REPLACE] VIEW
   * <name> AS <SELECT>` or `DROP VIEW [IF EXISTS] <name>`, the name unqualified or in
   * `"engagementdb-glue-db"`. The SELECT passes the checks of `query` and is bound at once, so a
   * view that reads a missing table or column fails here, with DuckDB's reason. A created view is
   * reachable qualified and unqualified, as the tables are. Bad SQL never throws: it comes back as
   * `{ ok: false, error: { kind, message } }`; success has no columns and no rows.
   *
   * @example await engine.runViewStatement(createViewStatement(analyticsViews[0]))
   */
  runViewStatement(athenaSql: string): Promise<QueryResult>;
  /**
   * Releases the database (a query still running is stopped first); further queries reject with
   * `QueryEngineClosedError`.
   */
  close(): void;
}

/**
 * Where the tables' rows are, asked before every query: each table's data files as lake-relative
 * `/`-separated paths (`events/2025/03/14/15/part-1.parquet`). A query reads exactly these files,
 * whatever else is in the lake folders, so the answer is a snapshot of the list. Giving the very
 * same array (`===`) as the time before costs nothing; a new array costs one statement.
 *
 * @example const committed = new CommittedDataFiles(lake); const dataFiles: DataFileSource = () => committed.current();
 */
export type DataFileSource = () => Readonly<Record<TableName, readonly string[]>>;

/**
 * What `openQueryEngine` opens.
 *
 * @example const options: QueryEngineOptions = { lake: './engagement-lake', limits: { timeMillis: 10_000 } };
 */
export interface QueryEngineOptions {
  /** The lake folder. */
  readonly lake: string;
  readonly limits?: QueryLimits;
  /**
   * The data files each table reads. @default every Parquet file in the table's hour folders
   * (`<lake>/events/YYYY/MM/DD/HH/*.parquet`, names not starting with `_` or `.`), listed anew by
   * each query: files that arrive or disappear are followed, and an ingest being committed can be
   * seen in part. Give the files of committed ingests (`CommittedDataFiles` of `@engagement-db/lake`)
   * for a consistent snapshot.
   */
  readonly dataFiles?: DataFileSource;
}

/** The catalog the Glue database lives in, as Athena names it in three-part names. */
const catalogName = 'awsdatacatalog';
const lakeTables: readonly TableSchema[] = Object.values(canonicalTables);
const noFilesMessage = 'No files found that match the pattern';

/**
 * Opens DuckDB in memory with the Glue database `engagementdb-glue-db` holding
 * `engagementdb-events-table` and `engagementdb-conversations-table`, each a view over the lake's
 * Parquet files (`<lake>/events/YYYY/MM/DD/HH/*.parquet`, or the files `dataFiles` gives) with the
 * hour partition column `ingest_timestamp`, and every analytics view (`analyticsViews`); all are
 * also reachable unqualified. Athena's functions and semantics are provided on top (see the README).
 * The tables follow files as they arrive. Queries only read: DuckDB may reach no file outside the lake folder,
 * and its configuration is locked. Each query runs within `limits` (see {@link QueryLimits}).
 * Throws `QueryEngineOptionsError` when the lake folder does not exist, is a file, or its path is refused
 * by `checkLakePath`; `AnalyticsViewError` when a view file cannot be created; `SqlEngineError` for
 * limits DuckDB does not accept.
 *
 * @example
 * const engine = await openQueryEngine({ lake: './engagement-lake', limits: { timeMillis: 10_000 } });
 * const result = await engine.query('SELECT * FROM email_conversion_rates_view');
 * engine.close();
 */
export async function openQueryEngine(options: QueryEngineOptions): Promise<QueryEngine> {
  const lake = checkedLakeDirectory(options.lake);
  const limits = checkedLimits(options.limits);
  const instance = await DuckDBInstance.create(':memory:', sandboxInstanceOptions);
  const connection = await instance.connect();
  try {
    for (const statement of [
      `ATTACH ':memory:' AS ${catalogName}`,
      `USE ${catalogName}`,
      ...athenaSessionSettings,
      ...athenaFunctionMacros,
      ...athenaOperatorMacros,
      `CREATE SCHEMA ${quoteIdentifier(glueDatabaseName)}`,
    ]) {
      await connection.run(statement);
    }
    await setMemoryLimit(connection, limits.memory);
    const engine = new LakeQueryEngine(instance, connection, lake, limits, options.dataFiles);
    await engine.defineViews();
    await defineAnalyticsViews(connection, analyticsViews);
    // Last: after these nothing reaches a file outside the lake or changes a setting.
    for (const statement of sandboxSettings(lake.realPath)) await connection.run(statement);
    return engine;
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
}

/**
 * Checks limits as `openQueryEngine` does, with DuckDB itself and no lake: for a program that opens its engine
 * later (once a lake exists) and refuses bad limits at start. Throws SqlEngineError with `openQueryEngine`'s message.
 *
 * @example await checkQueryLimits({ timeMillis: 30_000, memory: '2GiB' });
 */
export async function checkQueryLimits(limits: QueryLimits | undefined): Promise<void> {
  const { memory } = checkedLimits(limits);
  const instance = await DuckDBInstance.create(':memory:', sandboxInstanceOptions);
  const connection = await instance.connect();
  try {
    await setMemoryLimit(connection, memory);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function checkedLimits(limits: QueryLimits | undefined): Required<QueryLimits> {
  const chosen = { ...defaultQueryLimits, ...definedFields(limits ?? {}) };
  if (
    typeof chosen.timeMillis !== 'number' ||
    !Number.isFinite(chosen.timeMillis) ||
    chosen.timeMillis <= 0
  ) {
    throw new SqlEngineError(
      `openQueryEngine: limits.timeMillis must be a number of milliseconds above 0, got ${JSON.stringify(chosen.timeMillis)}; ` +
        `leave it out for ${defaultQueryLimits.timeMillis}.`,
    );
  }
  return chosen;
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

async function setMemoryLimit(connection: DuckDBConnection, memory: string): Promise<void> {
  try {
    await connection.run(`SET memory_limit = ${quoteLiteral(String(memory))}`);
  } catch (error) {
    throw new SqlEngineError(
      `openQueryEngine: limits.memory is ${JSON.stringify(memory)}, which DuckDB does not read as a size (${messageOf(error)}); ` +
        "give it as DuckDB writes sizes, such as '512MB' or '2GiB'.",
      { cause: error },
    );
  }
}

interface LakeDirectory {
  /** The absolute path, as given. */
  readonly path: string;
  /** The path with symbolic links resolved, as DuckDB's sandbox compares file paths. */
  readonly realPath: string;
}

function checkedLakeDirectory(lake: unknown): LakeDirectory {
  if (typeof lake !== 'string') {
    throw new QueryEngineOptionsError(
      `openQueryEngine: options.lake must be the path of the lake directory, got ${JSON.stringify(lake)}; pass a folder such as './engagement-lake'.`,
    );
  }
  const checked = checkLakePath(lake);
  if (!checked.ok) throw new QueryEngineOptionsError(checked.error);
  const stats = fs.statSync(checked.value, { throwIfNoEntry: false });
  if (!stats) {
    throw new QueryEngineOptionsError(
      `no lake at ${checked.value}: the folder does not exist; pass the folder that ingest or serve wrote the lake into.`,
    );
  }
  if (!stats.isDirectory()) {
    throw new QueryEngineOptionsError(
      `no lake at ${checked.value}: it is a file, expected the lake folder (holding events/ and conversations/).`,
    );
  }
  // A link may lead to a folder whose own path DuckDB would read as a pattern.
  const real = checkLakePath(fs.realpathSync(checked.value));
  if (!real.ok) throw new QueryEngineOptionsError(real.error);
  return { path: checked.value, realPath: real.value };
}

class LakeQueryEngine implements QueryEngine {
  private readonly tablesWithFiles = new Set<TableSchema>();
  // The list each table's view reads now, when the engine is given its data files.
  private readonly givenFiles = new Map<TableSchema, readonly string[]>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly lake: LakeDirectory,
    private readonly limits: Required<QueryLimits>,
    private readonly dataFiles: DataFileSource | undefined,
  ) {}

  query(athenaSql: string, parameters: readonly QueryParameter[] = []): Promise<QueryResult> {
    return this.enqueue('query', () => this.runQuery(athenaSql, parameters));
  }

  runViewStatement(athenaSql: string): Promise<QueryResult> {
    return this.enqueue('runViewStatement', () => this.runViewDefinition(athenaSql));
  }

  private enqueue(method: string, work: () => Promise<QueryResult>): Promise<QueryResult> {
    if (this.closed) {
      return Promise.reject(
        new QueryEngineClosedError(
          `QueryEngine.${method}: the engine over ${this.lake.path} is closed; open a new one with openQueryEngine({ lake }).`,
        ),
      );
    }
    // One connection runs one statement at a time; later calls wait their turn.
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Closing a connection under a running statement never returns: the statement is stopped, and the
    // database released once the queue of queries has settled.
    this.connection.interrupt();
    void this.queue.then(() => {
      this.connection.closeSync();
      this.instance.closeSync();
    });
  }

  /**
   * (Re)defines every table's view from the files in the lake now. Given the data files, the views
   * start empty: each query reads the list first, so a file missing from it fails that query only.
   */
  async defineViews(): Promise<void> {
    for (const table of lakeTables) {
      await this.defineView(table, !this.dataFiles && (await this.hasDataFiles(table)));
    }
  }

  private async runQuery(athenaSql: string, parameters: readonly QueryParameter[]): Promise<QueryResult> {
    if (typeof athenaSql !== 'string') {
      return failed(QueryFailureKind.failed, `expected the query as SQL text, got ${typeof athenaSql}`);
    }
    const badParameters = parameterProblem(parameters);
    if (badParameters !== undefined) return failed(QueryFailureKind.failed, badParameters);
    const rewritten = rewriteAthenaSql(athenaSql, renamedAthenaFunctions);
    // DuckDB has no statement timeout: a timer interrupts the connection, whatever the query is doing.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, this.limits.timeMillis);
    try {
      await this.followNewFiles();
      return await this.runStatement(rewritten, parameters);
    } catch (error) {
      if (!timedOut && !this.dataFiles && messageOf(error).includes(noFilesMessage)) {
        try {
          await this.defineViews();
          return await this.runStatement(rewritten, parameters);
        } catch (retryError) {
          return this.failure(retryError, rewritten.renamed, timedOut);
        }
      }
      return this.failure(error, rewritten.renamed, timedOut);
    } finally {
      clearTimeout(timer);
    }
  }

  private async runViewDefinition(athenaSql: string): Promise<QueryResult> {
    const statement = parseViewStatement(typeof athenaSql === 'string' ? athenaSql : '');
    if (!statement.ok) return failed(QueryFailureKind.refused, statement.error);
    const refusal = viewNameRefusal(statement.database, statement.name);
    if (refusal !== undefined) return failed(QueryFailureKind.refused, refusal);
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(statement.name)}`;
    const unqualified = `main.${quoteIdentifier(statement.name)}`;
    if (statement.kind === 'drop') {
      try {
        await this.connection.run(`DROP VIEW ${statement.ifExists ? 'IF EXISTS ' : ''}${qualified}`);
        await this.connection.run(`DROP VIEW IF EXISTS ${unqualified}`);
        return { ok: true, value: { columns: [], rows: [] } };
      } catch (error) {
        return this.failure(error, [], false);
      }
    }
    const select = rewriteAthenaSql(statement.select, renamedAthenaFunctions);
    try {
      await this.followNewFiles();
      const checked = await prepareReadStatement(this.connection, select.sql);
      if (!checked.ok) return failed(QueryFailureKind.refused, checked.error);
      checked.value.destroySync();
      const create = statement.orReplace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW';
      await this.connection.run(`${create} ${qualified} AS ${select.sql}`);
      await this.connection.run(`CREATE OR REPLACE VIEW ${unqualified} AS SELECT * FROM ${qualified}`);
      return { ok: true, value: { columns: [], rows: [] } };
    } catch (error) {
      return this.failure(error, select.renamed, false);
    }
  }

  private async runStatement(
    rewritten: RewrittenSql,
    parameters: readonly QueryParameter[],
  ): Promise<QueryResult> {
    const statement = await prepareReadStatement(this.connection, rewritten.sql);
    if (!statement.ok) return failed(QueryFailureKind.refused, statement.error);
    const placeholders = statement.value.parameterCount;
    if (placeholders !== parameters.length) {
      statement.value.destroySync();
      return failed(
        QueryFailureKind.failed,
        `the query has ${placeholders} parameter placeholder(s) (?), got ${parameters.length} value(s); ` +
          'pass one value per ?, in order.',
      );
    }
    if (placeholders > 0) statement.value.bind([...parameters]);
    const reader = await statement.value.runAndReadAll();
    const names = reader.deduplicatedColumnNames().map((name) => athenaSpelling(name, rewritten.renamed));
    const columns = reader
      .columnTypes()
      .map((type, index) => ({ name: names[index], type: athenaTypeNameOf(type) }));
    const rows = reader.getRows().map((values) => {
      const row: Record<string, unknown> = {};
      values.forEach((value, index) => (row[names[index]] = jsonValueOf(value)));
      return row;
    });
    return { ok: true, value: { columns, rows } };
  }

  // DuckDB's sandbox answers a file outside the lake with a Permission Error: a refusal, not a failure.
  private failure(error: unknown, renamed: readonly RenamedFunction[], timedOut: boolean): QueryResult {
    if (timedOut) {
      return failed(
        QueryFailureKind.timeLimit,
        `the query was stopped after ${this.limits.timeMillis / 1000} s, the engine's time limit; ` +
          'narrow it (a filter on ingest_timestamp reads fewer files) or raise the limit.',
      );
    }
    const message = failureMessage(error, renamed);
    if (message.startsWith('Out of Memory Error:')) {
      return failed(
        QueryFailureKind.memoryLimit,
        `the query needs more memory than the engine's limit of ${this.limits.memory}: ${message}\n` +
          '(narrow it, aggregate before joining, or raise the limit)',
      );
    }
    if (this.dataFiles && message.includes(noFilesMessage)) {
      return failed(
        QueryFailureKind.failed,
        `${message}\n(a data file of the lake's list of committed files is missing from its folder)`,
      );
    }
    if (message.startsWith('Permission Error:')) {
      return failed(
        QueryFailureKind.refused,
        `${message}\n(queries read only the files inside the lake folder ${this.lake.path})`,
      );
    }
    return failed(QueryFailureKind.failed, message);
  }

  // A table defined empty becomes a file scan once its first file lands.
  private async followNewFiles(): Promise<void> {
    if (this.dataFiles) return this.followGivenFiles();
    for (const table of lakeTables) {
      if (!this.tablesWithFiles.has(table) && (await this.hasDataFiles(table)))
        await this.defineView(table, true);
    }
  }

  // The list goes in as one text split by DuckDB: much faster than a list literal or parameter.
  private async followGivenFiles(): Promise<void> {
    const given = (this.dataFiles as DataFileSource)();
    for (const table of lakeTables) {
      const files = given[table.name] ?? [];
      if (files === this.givenFiles.get(table)) continue;
      if (files.length > 0) {
        const paths = files.map((file) => path.join(this.lake.realPath, ...file.split('/')));
        const set = await this.connection.prepare(
          `SET VARIABLE ${dataFilesVariable(table)} = string_split($1, chr(10))`,
        );
        set.bindVarchar(1, paths.join('\n'));
        try {
          await set.run();
        } finally {
          set.destroySync();
        }
      }
      await this.defineView(table, files.length > 0);
      this.givenFiles.set(table, files);
    }
  }

  private async hasDataFiles(table: TableSchema): Promise<boolean> {
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*) FROM (SELECT 1 FROM glob(${quoteLiteral(dataFileGlob(this.lake.realPath, table))}) LIMIT 1)`,
    );
    return Number(reader.getRows()[0][0]) > 0;
  }

  private async defineView(table: TableSchema, withFiles: boolean): Promise<void> {
    // A view over the variable stays as it is when only the list changes.
    if (withFiles && this.dataFiles && this.tablesWithFiles.has(table)) return;
    const files = this.dataFiles
      ? `getvariable(${quoteLiteral(dataFilesVariable(table))})`
      : quoteLiteral(dataFileGlob(this.lake.realPath, table));
    const select = withFiles ? dataFileSelect(table, files) : emptyTableSelect(table);
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(table.glueName)}`;
    await this.connection.run(`CREATE OR REPLACE VIEW ${qualified} AS ${select}`);
    await this.connection.run(
      `CREATE OR REPLACE VIEW main.${quoteIdentifier(table.glueName)} AS SELECT * FROM ${qualified}`,
    );
    if (withFiles) this.tablesWithFiles.add(table);
    else this.tablesWithFiles.delete(table);
  }
}

function parameterProblem(parameters: unknown): string | undefined {
  if (!Array.isArray(parameters)) {
    return `expected the query's parameters as an array of values, got ${typeof parameters}`;
  }
  const index = parameters.findIndex(
    (value) =>
      !(
        value === null ||
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      ),
  );
  if (index === -1) return undefined;
  const value: unknown = parameters[index];
  return (
    `parameter ${index + 1} is ${typeof value === 'number' ? String(value) : typeof value}; ` +
    'a parameter is a string, a finite number, a boolean or null.'
  );
}

function failed(kind: QueryFailureKind, message: string): { ok: false; error: QueryFailure } {
  return { ok: false, error: { kind, message } };
}

// Views live in the Glue database, under names that are not the lake's tables.
function viewNameRefusal(database: string | undefined, name: string): string | undefined {
  if (database !== undefined && database !== glueDatabaseName) {
    return `views are defined in the Glue database "${glueDatabaseName}", got "${database}"`;
  }
  if (lakeTables.some((table) => table.glueName === name)) {
    return `"${name}" is a table of the lake, not a view; choose another view name`;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A column named after a renamed call keeps the name the query wrote.
function athenaSpelling(columnName: string, renamed: readonly RenamedFunction[]): string {
  return renamed.reduce((name, r) => name.replaceAll(`${r.duckdbName}(`, `${r.athenaName}(`), columnName);
}

function failureMessage(error: unknown, renamed: readonly RenamedFunction[]): string {
  const message = messageOf(error).replace(/^(Failed to extract statements: |Error: )/, '');
  const mentioned = renamed.filter((r) => message.includes(r.duckdbName));
  if (mentioned.length === 0) return message;
  const notes = mentioned.map((r) => `Athena's ${r.athenaName}() runs here as ${r.duckdbName}()`);
  return `${message}\n(${notes.join('; ')})`;
}
