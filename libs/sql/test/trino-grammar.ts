import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

/** A Trino (Athena engine 3) parser: the syntax errors of a statement, none when Trino's grammar accepts it. */
export interface TrinoGrammar {
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
export function trinoGrammar(): TrinoGrammar {
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
