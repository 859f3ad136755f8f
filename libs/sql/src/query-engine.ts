import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  type Failure,
  type Result,
  type TableSchema,
  canonicalTables,
  glueDatabaseName,
} from '@engagement-db/canonical-model';
import { QueryEngineClosedError, QueryEngineOptionsError } from './errors';
import {
  athenaFunctionMacros,
  athenaSessionSettings,
  renamedAthenaFunctions,
} from './internal/athena-functions';
import { type RenamedFunction, type RewrittenSql, rewriteAthenaSql } from './internal/athena-rewrite';
import {
  dataFileGlob,
  dataFileSelect,
  emptyTableSelect,
  quoteIdentifier,
  quoteLiteral,
} from './internal/lake-views';
import { athenaTypeNameOf, jsonValueOf } from './internal/result-values';

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

/** Why a query gave no rows. */
export const QueryFailureKind = {
  /** The query is not one SQL statement given as text. */
  invalidQuery: 'invalid-query',
  /** The engine refused or failed the statement: its message says why (syntax, unknown table or column, ...). */
  queryFailed: 'query-failed',
} as const;
export type QueryFailureKind = (typeof QueryFailureKind)[keyof typeof QueryFailureKind];

/** A query that gave no rows, with the engine's message. */
export type QueryFailure = Failure<QueryFailureKind>;

/** The answer to a query, or why there is none. */
export type QueryResult = Result<QueryAnswer, QueryFailure>;

/** Athena SQL over a local lake. */
export interface QueryEngine {
  /**
   * Runs one Athena SQL statement. Never throws for a bad query: the engine's message comes back
   * as `{ ok: false, error: { kind, message } }`.
   *
   * @example await engine.query('SELECT channel, count(*) FROM "engagementdb-events-table" GROUP BY 1')
   */
  query(athenaSql: string): Promise<QueryResult>;
  /** Releases the database; further queries reject with `QueryEngineClosedError`. */
  close(): void;
}

/** The catalog the Glue database lives in, as Athena names it in three-part names. */
const catalogName = 'awsdatacatalog';
const lakeTables: readonly TableSchema[] = Object.values(canonicalTables);
const noFilesMessage = 'No files found that match the pattern';

/**
 * Opens DuckDB in memory with the Glue database `engagementdb-glue-db` holding
 * `engagementdb-events-table` and `engagementdb-conversations-table`, each a view over the lake's
 * Parquet files (`<lake>/events/YYYY/MM/DD/HH/*.parquet`) with the hour partition column
 * `ingest_timestamp`; the tables are also reachable unqualified. Athena's functions and semantics
 * are provided on top (see the README). A lake without data files gives empty tables; the views
 * follow files as they arrive. Throws `QueryEngineOptionsError` when the lake path is a file or holds
 * glob characters.
 *
 * @example
 * const engine = await openQueryEngine({ lake: './engagement-lake' });
 * const result = await engine.query('SELECT count(*) AS n FROM "engagementdb-glue-db"."engagementdb-events-table"');
 * engine.close();
 */
export async function openQueryEngine(options: { lake: string }): Promise<QueryEngine> {
  const lake = checkedLakeDirectory(options.lake);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const statement of [
      `ATTACH ':memory:' AS ${catalogName}`,
      `USE ${catalogName}`,
      ...athenaSessionSettings,
      ...athenaFunctionMacros,
      `CREATE SCHEMA ${quoteIdentifier(glueDatabaseName)}`,
    ]) {
      await connection.run(statement);
    }
    const engine = new LakeQueryEngine(instance, connection, lake);
    await engine.defineViews();
    return engine;
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
}

function checkedLakeDirectory(lake: unknown): string {
  if (typeof lake !== 'string' || lake.trim() === '') {
    throw new QueryEngineOptionsError(
      `openQueryEngine: options.lake must be the path of the lake directory, got ${JSON.stringify(lake)}; pass a folder such as './engagement-lake'.`,
    );
  }
  const resolved = path.resolve(lake);
  if (/[*?[\]]/.test(resolved)) {
    throw new QueryEngineOptionsError(
      `openQueryEngine: the lake path ${JSON.stringify(resolved)} contains a glob character (* ? [ ]), which the Parquet scan would read as a pattern; move the lake to a path without them.`,
    );
  }
  const stats = fs.statSync(resolved, { throwIfNoEntry: false });
  if (stats && !stats.isDirectory()) {
    throw new QueryEngineOptionsError(
      `openQueryEngine: the lake path ${JSON.stringify(resolved)} is a file, expected a directory holding events/ and conversations/; pass the lake folder instead.`,
    );
  }
  return resolved;
}

class LakeQueryEngine implements QueryEngine {
  private readonly tablesWithFiles = new Set<TableSchema>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly lake: string,
  ) {}

  query(athenaSql: string): Promise<QueryResult> {
    if (this.closed) {
      return Promise.reject(
        new QueryEngineClosedError(
          `QueryEngine.query: the engine over ${this.lake} is closed; open a new one with openQueryEngine({ lake }).`,
        ),
      );
    }
    // One connection runs one statement at a time; later calls wait their turn.
    const run = this.queue.then(() => this.runQuery(athenaSql));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** (Re)defines every table's view from the files in the lake now. */
  async defineViews(): Promise<void> {
    for (const table of lakeTables) {
      await this.defineView(table, await this.hasDataFiles(table));
    }
  }

  private async runQuery(athenaSql: string): Promise<QueryResult> {
    if (typeof athenaSql !== 'string') {
      return refused(
        QueryFailureKind.invalidQuery,
        `expected the query as SQL text, got ${typeof athenaSql}`,
      );
    }
    const rewritten = rewriteAthenaSql(athenaSql, renamedAthenaFunctions);
    try {
      await this.followNewFiles();
      return await this.runStatement(rewritten);
    } catch (error) {
      if (messageOf(error).includes(noFilesMessage)) {
        try {
          await this.defineViews();
          return await this.runStatement(rewritten);
        } catch (retryError) {
          return refused(QueryFailureKind.queryFailed, failureMessage(retryError, rewritten.renamed));
        }
      }
      return refused(QueryFailureKind.queryFailed, failureMessage(error, rewritten.renamed));
    }
  }

  private async runStatement(rewritten: RewrittenSql): Promise<QueryResult> {
    const statements = await this.connection.extractStatements(rewritten.sql);
    if (statements.count !== 1) {
      return refused(
        QueryFailureKind.invalidQuery,
        `Only one SQL statement is allowed per query, got ${statements.count}.`,
      );
    }
    const reader = await (await statements.prepare(0)).runAndReadAll();
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

  // A table defined empty becomes a file scan once its first file lands.
  private async followNewFiles(): Promise<void> {
    for (const table of lakeTables) {
      if (!this.tablesWithFiles.has(table) && (await this.hasDataFiles(table)))
        await this.defineView(table, true);
    }
  }

  private async hasDataFiles(table: TableSchema): Promise<boolean> {
    const reader = await this.connection.runAndReadAll(
      `SELECT count(*) FROM (SELECT 1 FROM glob(${quoteLiteral(dataFileGlob(this.lake, table))}) LIMIT 1)`,
    );
    return Number(reader.getRows()[0][0]) > 0;
  }

  private async defineView(table: TableSchema, withFiles: boolean): Promise<void> {
    const select = withFiles ? dataFileSelect(this.lake, table) : emptyTableSelect(table);
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(table.glueName)}`;
    await this.connection.run(`CREATE OR REPLACE VIEW ${qualified} AS ${select}`);
    await this.connection.run(
      `CREATE OR REPLACE VIEW main.${quoteIdentifier(table.glueName)} AS SELECT * FROM ${qualified}`,
    );
    if (withFiles) this.tablesWithFiles.add(table);
    else this.tablesWithFiles.delete(table);
  }
}

function refused(kind: QueryFailureKind, message: string): { ok: false; error: QueryFailure } {
  return { ok: false, error: { kind, message } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// A column named after a renamed call keeps the name the query wrote.
function athenaSpelling(columnName: string, renamed: readonly RenamedFunction[]): string {
  return renamed.reduce((name, r) => name.replaceAll(`${r.duckdbName}(`, `${r.athenaName}(`), columnName);
}

function failureMessage(error: unknown, renamed: readonly RenamedFunction[]): string {
  const message = messageOf(error).replace(/^Failed to extract statements: /, '');
  const mentioned = renamed.filter((r) => message.includes(r.duckdbName));
  if (mentioned.length === 0) return message;
  const notes = mentioned.map((r) => `Athena's ${r.athenaName}() runs here as ${r.duckdbName}()`);
  return `${message}\n(${notes.join('; ')})`;
}
