// What the SQL tests of every project check Athena SQL with: Trino's grammar (Athena engine 3 parses with
// it) and the functions Athena engine 3 documents; and the raw events and temporary lakes the views are
// tested on, for the tests of SQL written over the views. Test-only: reached through the source condition.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { SqlTokenKind, tokenizeSql } from '../src/internal/sql-tokens';

export { ingestRawEvents, phoneEvent, sesEvent, whatsappStatus } from '../test/raw-events';
export type { PhoneMessage, SesMessage, WhatsAppMessage } from '../test/raw-events';
export { makeTempFolder, removeTempFolder } from '../test/test-lake';

/**
 * The functions Athena engine 3 documents (Trino 4xx: aggregate, conditional, conversion, date and
 * time, JSON, map and array, mathematical, regular expression and string functions) that the views and
 * the documented sample queries may call. A function outside it is one Athena may not have.
 */
export const athenaEngine3Functions = new Set([
  'approx_distinct',
  'arbitrary',
  'avg',
  'cardinality',
  'cast',
  'coalesce',
  'count',
  'count_if',
  'date',
  'date_add',
  'date_diff',
  'date_trunc',
  'element_at',
  'from_iso8601_timestamp',
  'from_unixtime',
  'if',
  'json_extract_scalar',
  'lower',
  'max',
  'max_by',
  'min',
  'min_by',
  'nullif',
  'regexp_extract',
  'regexp_like',
  'round',
  'sum',
  'to_unixtime',
  'try_cast',
  'upper',
]);

// Words that precede a parenthesis without calling a function.
const keywordsBeforeParenthesis = new Set([
  'as',
  'in',
  'exists',
  'filter',
  'over',
  'values',
  'from',
  'decimal',
  'varchar',
]);

/** The functions a statement calls, lower-case, each once, sorted. */
export function calledFunctions(sql: string): string[] {
  const significant = tokenizeSql(sql).filter(
    (token) => token.kind !== SqlTokenKind.whitespace && token.kind !== SqlTokenKind.comment,
  );
  const called = new Set<string>();
  significant.forEach((token, index) => {
    const name = token.text.toLowerCase();
    if (
      token.kind === SqlTokenKind.word &&
      significant[index + 1]?.text === '(' &&
      !keywordsBeforeParenthesis.has(name)
    )
      called.add(name);
  });
  return [...called].sort();
}

/**
 * The functions a statement calls that Athena engine 3 does not document (none for SQL Athena can run).
 *
 * @example functionsOutsideAthena("SELECT strftime(ts, '%Y') FROM t") // ['strftime']
 */
export function functionsOutsideAthena(sql: string): string[] {
  return calledFunctions(sql).filter((name) => !athenaEngine3Functions.has(name));
}

/**
 * The syntax errors Trino's grammar finds in a statement, as `line:column: message`; none when it parses.
 *
 * @example trinoSyntaxErrors('SELECT 1 FROM t QUALIFY x = 1') // ['1:16: ...']
 */
export function trinoSyntaxErrors(sql: string): string[] {
  return trinoGrammar().syntaxErrors(sql);
}

interface TrinoGrammar {
  syntaxErrors(sql: string): string[];
}

interface TrinoSqlParser {
  validate(sql: string): { message: string; startLine: number; startColumn: number }[];
}

let grammar: TrinoGrammar | undefined;

/**
 * dt-sql-parser's Trino parser (generated from Trino's own ANTLR grammar). The package ships ES modules
 * with directory imports, which Node's ES module loader refuses and Jest does not transform, so the
 * Trino parser alone is bundled into one CommonJS file once (esbuild, a workspace tool) and required.
 */
function trinoGrammar(): TrinoGrammar {
  if (grammar) return grammar;
  const entry = require.resolve('dt-sql-parser/dist/parser/trino/index.js');
  const version = JSON.parse(
    fs.readFileSync(path.join(entry, '..', '..', '..', '..', 'package.json'), 'utf8'),
  ) as { version: string };
  const bundle = path.join(os.tmpdir(), `engagement-db-trino-parser-${version.version}.cjs`);
  if (!fs.existsSync(bundle)) {
    const built = buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'error',
    });
    const partial = `${bundle}.${process.pid}`;
    fs.writeFileSync(partial, built.outputFiles[0].text);
    fs.renameSync(partial, bundle);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TrinoSQL } = require(bundle) as { TrinoSQL: new () => TrinoSqlParser };
  const parser = new TrinoSQL();
  grammar = {
    syntaxErrors: (sql) =>
      parser.validate(sql).map((error) => `${error.startLine}:${error.startColumn}: ${error.message}`),
  };
  return grammar;
}
