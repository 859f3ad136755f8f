// Trino's grammar (Athena engine 3 parses with it), from dt-sql-parser. Its package is ESM with
// directory imports, which neither Node nor Jest load as is: esbuild bundles its Trino parser once.
import { buildSync } from 'esbuild';

interface TrinoParser {
  validate(sql: string): { message: string; startLine: number; startColumn: number }[];
}

let parser: TrinoParser | undefined;

/**
 * The syntax errors Trino's grammar finds in the SQL, as `line:column message`; none when it parses.
 *
 * @example trinoSyntaxErrors('SELECT 1 QUALIFY x') // ['1:10 ...']
 */
export function trinoSyntaxErrors(sql: string): string[] {
  parser ??= loadParser();
  return parser.validate(sql).map((error) => `${error.startLine}:${error.startColumn} ${error.message}`);
}

function loadParser(): TrinoParser {
  const bundle = buildSync({
    stdin: { contents: "export { TrinoSQL } from 'dt-sql-parser/dist/parser/trino';", resolveDir: __dirname },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    write: false,
    logLevel: 'error',
  });
  const module = { exports: {} as { TrinoSQL: new () => TrinoParser } };
  new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(module, module.exports, require);
  return new module.exports.TrinoSQL();
}
