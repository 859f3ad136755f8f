import { type DuckDBConnection, type DuckDBPreparedStatement, StatementType } from '@duckdb/node-api';
import { quoteLiteral } from './lake-views';
import { type SqlToken, SqlTokenKind, tokenizeSql } from './sql-tokens';

/** The statement ready to run, or why it may not run here. */
export type ReadStatement = { ok: true; value: DuckDBPreparedStatement } | { ok: false; error: string };

/**
 * Table functions a query may call: generators, JSON walkers, the catalog listings, and the file
 * readers (which DuckDB's sandbox limits to the lake folder). Everything else is refused, among
 * them `query()` and `json_execute_serialized_sql()` (they run SQL text this check never saw),
 * `enable_logging()` (writes files and breaks the database), `checkpoint()` and `read_duckdb()`.
 */
const readTableFunctions: ReadonlySet<string> = new Set([
  'range',
  'generate_series',
  'unnest',
  'repeat',
  'repeat_row',
  'json_each',
  'json_tree',
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_file_metadata',
  'parquet_kv_metadata',
  'parquet_schema',
  'read_csv',
  'read_csv_auto',
  'sniff_csv',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_json_objects_auto',
  'read_ndjson',
  'read_ndjson_auto',
  'read_ndjson_objects',
  'read_text',
  'read_blob',
  'glob',
  'duckdb_columns',
  'duckdb_constraints',
  'duckdb_databases',
  'duckdb_functions',
  'duckdb_keywords',
  'duckdb_schemas',
  'duckdb_tables',
  'duckdb_types',
  'duckdb_views',
  'pragma_table_info',
  'pragma_show',
  'pragma_version',
  'pg_timezone_names',
]);

/** Scalar functions with an effect beyond their answer: `sleep_ms` holds the process, `write_log` writes. */
const effectfulScalarFunctions: ReadonlySet<string> = new Set(['sleep_ms', 'write_log']);

const readStatementKinds = 'SELECT, WITH, EXPLAIN, DESCRIBE, SHOW';

/**
 * Prepares one SQL statement when it only reads. DuckDB decides what the statement is: it parses the
 * SQL (`json_serialize_sql` accepts SELECTs only; DESCRIBE, SHOW and SUMMARIZE are SELECTs over the
 * catalog), the parse tree is searched for functions that do more than read, and the prepared
 * statement's type must be SELECT (EXPLAIN for an EXPLAIN of a SELECT). Nothing reaches DuckDB's
 * statement extraction or preparation before the parse tree passed, because both do some work: a
 * `PRAGMA import_database` reads files while it is extracted, an `EXPORT DATABASE` creates its
 * folder while it is prepared.
 *
 * @example const statement = await prepareReadStatement(connection, 'SELECT 1'); // { ok: true, value }
 */
export async function prepareReadStatement(
  connection: DuckDBConnection,
  sql: string,
): Promise<ReadStatement> {
  const explained = explainedStatement(sql);
  const parsed = await parsedSelects(connection, explained ?? sql);
  if (parsed.error !== undefined) {
    // Throws DuckDB's own syntax error, which shows the line and a caret.
    if (parsed.error === 'parser') await connection.extractStatements(sql);
    return { ok: false, error: notAReadMessage(sql) };
  }
  const selects = parsed.statements;
  if (selects.length !== 1) {
    return { ok: false, error: `Only one SQL statement is allowed per query, got ${selects.length}.` };
  }
  const forbidden = forbiddenFunction(selects[0]);
  if (forbidden !== undefined) {
    return { ok: false, error: `${forbidden}() is not available to queries: they may only read the lake.` };
  }
  const extracted = await connection.extractStatements(sql);
  const prepared = extracted.count === 1 ? await extracted.prepare(0) : undefined;
  const expected = explained === undefined ? StatementType.SELECT : StatementType.EXPLAIN;
  if (prepared?.statementType !== expected) {
    prepared?.destroySync();
    return { ok: false, error: notAReadMessage(sql) };
  }
  return { ok: true, value: prepared };
}

function notAReadMessage(sql: string): string {
  const first = significantTokens(tokenizeSql(sql))[0];
  const what = first === undefined ? 'this SQL' : `the SQL starting with ${first.text.toUpperCase()}`;
  return (
    `Only statements that read run here, one per query (${readStatementKinds}); ${what} holds another kind: ` +
    "queries may not change the lake, the files around it or the engine's settings."
  );
}

// DuckDB's own parse of SELECTs, or the kind of error (`parser`, or `not implemented` for any other statement).
async function parsedSelects(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ error?: string; statements: unknown[] }> {
  // A literal: the function wants its SQL while the query is bound.
  const reader = await connection.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(sql)})`);
  const parsed = JSON.parse(String(reader.getRows()[0][0])) as {
    error: boolean;
    error_type?: string;
    statements?: unknown[];
  };
  return {
    error: parsed.error ? (parsed.error_type ?? 'unknown') : undefined,
    statements: parsed.statements ?? [],
  };
}

/**
 * The statement an EXPLAIN is about, its ANALYZE or `(options)` skipped; undefined when the SQL is
 * no EXPLAIN. Only used to find what DuckDB must then parse as a SELECT: anything this gets wrong is
 * refused, never run.
 */
function explainedStatement(sql: string): string | undefined {
  const tokens = tokenizeSql(sql);
  let at = nextSignificant(tokens, 0);
  if (tokens[at]?.text.toLowerCase() !== 'explain') return undefined;
  at = nextSignificant(tokens, at + 1);
  if (['analyze', 'analyse'].includes(tokens[at]?.text.toLowerCase())) {
    at = nextSignificant(tokens, at + 1);
  } else if (tokens[at]?.text === '(') {
    let depth = 0;
    do {
      if (tokens[at].text === '(') depth++;
      else if (tokens[at].text === ')') depth--;
      at++;
    } while (depth > 0 && at < tokens.length);
    at = nextSignificant(tokens, at);
  }
  return tokens
    .slice(at)
    .map((token) => token.text)
    .join('');
}

function nextSignificant(tokens: readonly SqlToken[], from: number): number {
  let at = from;
  while (at < tokens.length && isTrivia(tokens[at])) at++;
  return at;
}

function significantTokens(tokens: readonly SqlToken[]): SqlToken[] {
  return tokens.filter((token) => !isTrivia(token));
}

function isTrivia(token: SqlToken): boolean {
  return token.kind === SqlTokenKind.whitespace || token.kind === SqlTokenKind.comment;
}

// The first call in a parse tree of a table function that is not a read, or of an effectful scalar function.
function forbiddenFunction(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = forbiddenFunction(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const record = node as Record<string, unknown>;
  if (record.type === 'TABLE_FUNCTION') {
    const name = functionName(record.function) ?? 'an unnamed table function';
    if (!readTableFunctions.has(name.toLowerCase())) return name;
  }
  if (record.class === 'FUNCTION') {
    const name = functionName(record);
    if (name !== undefined && effectfulScalarFunctions.has(name.toLowerCase())) return name;
  }
  return forbiddenFunction(Object.values(record));
}

function functionName(node: unknown): string | undefined {
  const name = (node as { function_name?: unknown } | null)?.function_name;
  return typeof name === 'string' ? name : undefined;
}
