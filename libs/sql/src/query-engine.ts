import * as fs from 'node:fs';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  type TableSchema,
  conversationTable,
  eventTable,
  glueDatabaseName,
} from '@engagement-db/canonical-model';
import { LakeDirectoryError, QueryEngineClosedError } from './errors';
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
  emptyTableSelect,
  quoteIdentifier,
  quoteLiteral,
} from './internal/lake-views';
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
 * Why a query gave no rows: `refused` when the SQL may not run here (it is not a read, holds more
 * than one statement, calls a function that does more than read, or reaches a file outside the
 * lake), `failed` when DuckDB could not answer it (syntax, unknown names, types, division by zero).
 *
 * @example if (!result.ok && result.kind === QueryFailureKind.refused) response.statusCode = 403;
 */
export const QueryFailureKind = {
  refused: 'refused',
  failed: 'failed',
} as const;
export type QueryFailureKind = (typeof QueryFailureKind)[keyof typeof QueryFailureKind];

/**
 * The answer to a query: columns and rows of plain JSON-able values, or why there is none.
 * Numbers for integers when safe (else digits as text) and decimals; `YYYY-MM-DD HH:MM:SS.sss` text
 * for timestamps (` UTC` appended when zoned); arrays for arrays; objects for maps and rows.
 */
export type QueryResult =
  | { ok: true; columns: QueryColumn[]; rows: Record<string, unknown>[] }
  | { ok: false; kind: QueryFailureKind; message: string };

/** Athena SQL over a local lake. */
export interface QueryEngine {
  /**
   * Runs one Athena SQL statement that reads. Never throws for a bad query: it comes back as
   * `{ ok: false, kind, message }`, `kind` telling a refused statement from a failed one.
   *
   * @example await engine.query('SELECT channel, count(*) FROM "engagementdb-events-table" GROUP BY 1')
   */
  query(athenaSql: string): Promise<QueryResult>;
  /**
   * Runs one Athena statement that defines a view of the Glue database: `CREATE [OR REPLACE] VIEW
   * <name> AS <SELECT>` or `DROP VIEW [IF EXISTS] <name>`, the name unqualified or in
   * `"engagementdb-glue-db"`. The SELECT passes the checks of `query` and is bound at once, so a
   * view that reads a missing table or column fails here, with DuckDB's reason. A created view is
   * reachable qualified and unqualified, as the tables are. Bad SQL never throws: it comes back as
   * `{ ok: false, kind, message }`; success has no columns and no rows.
   *
   * @example await engine.runViewStatement(createViewStatement(analyticsViews[0]))
   */
  runViewStatement(athenaSql: string): Promise<QueryResult>;
  /** Releases the database; further queries reject with `QueryEngineClosedError`. */
  close(): void;
}

/** The catalog the Glue database lives in, as Athena names it in three-part names. */
const catalogName = 'awsdatacatalog';
const lakeTables: readonly TableSchema[] = [eventTable, conversationTable];
const noFilesMessage = 'No files found that match the pattern';

/**
 * Opens DuckDB in memory with the Glue database `engagementdb-glue-db` holding
 * `engagementdb-events-table` and `engagementdb-conversations-table`, each a view over the lake's
 * Parquet files (`<lake>/events/YYYY/MM/DD/HH/*.parquet`) with the hour partition column
 * `ingest_timestamp`; the tables are also reachable unqualified. Athena's functions and semantics
 * are provided on top (see the README). The views follow files as they arrive. Queries only read:
 * DuckDB may reach no file outside the lake folder, and its configuration is locked. Throws
 * `LakeDirectoryError` when the lake folder does not exist, is a file, or its path is refused by
 * `checkLakePath`.
 *
 * @example
 * const engine = await openQueryEngine({ lake: './engagement-lake' });
 * const result = await engine.query('SELECT count(*) AS n FROM "engagementdb-glue-db"."engagementdb-events-table"');
 * engine.close();
 */
export async function openQueryEngine(options: { lake: string }): Promise<QueryEngine> {
  const lake = checkedLakeDirectory(options.lake);
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
      ...sandboxSettings(lake.realPath),
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

interface LakeDirectory {
  /** The absolute path, as given. */
  readonly path: string;
  /** The path with symbolic links resolved, as DuckDB's sandbox compares file paths. */
  readonly realPath: string;
}

function checkedLakeDirectory(lake: unknown): LakeDirectory {
  if (typeof lake !== 'string') {
    throw new LakeDirectoryError(
      `openQueryEngine: options.lake must be the path of the lake directory, got ${JSON.stringify(lake)}; pass a folder such as './engagement-lake'.`,
    );
  }
  const checked = checkLakePath(lake);
  if (!checked.ok) throw new LakeDirectoryError(checked.error);
  const stats = fs.statSync(checked.value, { throwIfNoEntry: false });
  if (!stats) {
    throw new LakeDirectoryError(
      `no lake at ${checked.value}: the folder does not exist; pass the folder that ingest or serve wrote the lake into.`,
    );
  }
  if (!stats.isDirectory()) {
    throw new LakeDirectoryError(
      `no lake at ${checked.value}: it is a file, expected the lake folder (holding events/ and conversations/).`,
    );
  }
  // A link may lead to a folder whose own path DuckDB would read as a pattern.
  const real = checkLakePath(fs.realpathSync(checked.value));
  if (!real.ok) throw new LakeDirectoryError(real.error);
  return { path: checked.value, realPath: real.value };
}

class LakeQueryEngine implements QueryEngine {
  private readonly tablesWithFiles = new Set<TableSchema>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly lake: LakeDirectory,
  ) {}

  query(athenaSql: string): Promise<QueryResult> {
    return this.enqueue('query', () => this.runQuery(athenaSql));
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
      return {
        ok: false,
        kind: QueryFailureKind.failed,
        message: `expected the query as SQL text, got ${typeof athenaSql}`,
      };
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
          return this.failure(retryError, rewritten.renamed);
        }
      }
      return this.failure(error, rewritten.renamed);
    }
  }

  private async runViewDefinition(athenaSql: string): Promise<QueryResult> {
    const statement = parseViewStatement(typeof athenaSql === 'string' ? athenaSql : '');
    if (!statement.ok) return { ok: false, kind: QueryFailureKind.refused, message: statement.error };
    const refusal = viewNameRefusal(statement.database, statement.name);
    if (refusal !== undefined) return { ok: false, kind: QueryFailureKind.refused, message: refusal };
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(statement.name)}`;
    const unqualified = `main.${quoteIdentifier(statement.name)}`;
    if (statement.kind === 'drop') {
      try {
        await this.connection.run(`DROP VIEW ${statement.ifExists ? 'IF EXISTS ' : ''}${qualified}`);
        await this.connection.run(`DROP VIEW IF EXISTS ${unqualified}`);
        return { ok: true, columns: [], rows: [] };
      } catch (error) {
        return this.failure(error, []);
      }
    }
    const select = rewriteAthenaSql(statement.select, renamedAthenaFunctions);
    try {
      await this.followNewFiles();
      const checked = await prepareReadStatement(this.connection, select.sql);
      if (!checked.ok) return { ok: false, kind: QueryFailureKind.refused, message: checked.error };
      checked.value.destroySync();
      const create = statement.orReplace ? 'CREATE OR REPLACE VIEW' : 'CREATE VIEW';
      await this.connection.run(`${create} ${qualified} AS ${select.sql}`);
      await this.connection.run(`CREATE OR REPLACE VIEW ${unqualified} AS SELECT * FROM ${qualified}`);
      return { ok: true, columns: [], rows: [] };
    } catch (error) {
      return this.failure(error, select.renamed);
    }
  }

  private async runStatement(rewritten: RewrittenSql): Promise<QueryResult> {
    const statement = await prepareReadStatement(this.connection, rewritten.sql);
    if (!statement.ok) return { ok: false, kind: QueryFailureKind.refused, message: statement.error };
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
    return { ok: true, columns, rows };
  }

  // DuckDB's sandbox answers a file outside the lake with a Permission Error: a refusal, not a failure.
  private failure(error: unknown, renamed: readonly RenamedFunction[]): QueryResult {
    const message = failureMessage(error, renamed);
    if (message.startsWith('Permission Error:')) {
      return {
        ok: false,
        kind: QueryFailureKind.refused,
        message: `${message}\n(queries read only the files inside the lake folder ${this.lake.path})`,
      };
    }
    return { ok: false, kind: QueryFailureKind.failed, message };
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
      `SELECT count(*) FROM (SELECT 1 FROM glob(${quoteLiteral(dataFileGlob(this.lake.realPath, table))}) LIMIT 1)`,
    );
    return Number(reader.getRows()[0][0]) > 0;
  }

  private async defineView(table: TableSchema, withFiles: boolean): Promise<void> {
    const select = withFiles ? dataFileSelect(this.lake.realPath, table) : emptyTableSelect(table);
    const qualified = `${quoteIdentifier(glueDatabaseName)}.${quoteIdentifier(table.glueName)}`;
    await this.connection.run(`CREATE OR REPLACE VIEW ${qualified} AS ${select}`);
    await this.connection.run(
      `CREATE OR REPLACE VIEW main.${quoteIdentifier(table.glueName)} AS SELECT * FROM ${qualified}`,
    );
    if (withFiles) this.tablesWithFiles.add(table);
    else this.tablesWithFiles.delete(table);
  }
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
