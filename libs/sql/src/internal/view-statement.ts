import { type SqlToken, SqlTokenKind, tokenizeSql } from './sql-tokens';

/** A statement that defines a view, taken apart: what to do, to which view, and the SELECT of a creation. */
export type ViewStatement =
  | { ok: true; kind: 'create'; orReplace: boolean; database?: string; name: string; select: string }
  | { ok: true; kind: 'drop'; ifExists: boolean; database?: string; name: string }
  | { ok: false; error: string };

const expectedForms = 'CREATE [OR REPLACE] VIEW <name> AS <SELECT>, or DROP VIEW [IF EXISTS] <name>';

/**
 * Reads `CREATE [OR REPLACE] VIEW [db.]name AS <select>` or `DROP VIEW [IF EXISTS] [db.]name`, the two
 * statements Athena's view DDL consists of. The SELECT keeps its text (comments included); it is
 * checked like any query before the view is created.
 *
 * @example parseViewStatement('DROP VIEW IF EXISTS "db"."v"') // { ok: true, kind: 'drop', ifExists: true, database: 'db', name: 'v' }
 */
export function parseViewStatement(sql: string): ViewStatement {
  const tokens = tokenizeSql(sql);
  const significant = tokens
    .map((token, index) => ({ token, index }))
    .filter(({ token }) => token.kind !== SqlTokenKind.whitespace && token.kind !== SqlTokenKind.comment);
  let at = 0;
  const keyword = (...words: string[]) => {
    const matches = words.every(
      (word, offset) =>
        significant[at + offset]?.token.kind === SqlTokenKind.word &&
        significant[at + offset].token.text.toLowerCase() === word,
    );
    if (matches) at += words.length;
    return matches;
  };
  const nameAt = () => {
    const parts = [identifierOf(significant[at]?.token)];
    at++;
    if (significant[at]?.token.text === '.') {
      parts.push(identifierOf(significant[at + 1]?.token));
      at += 2;
    }
    if (parts.some((part) => part === undefined)) return undefined;
    return parts.length === 2
      ? { database: parts[0], name: parts[1] as string }
      : { name: parts[0] as string };
  };
  const refused = { ok: false, error: `expected a view definition, ${expectedForms}` } as const;

  if (keyword('drop', 'view')) {
    const ifExists = keyword('if', 'exists');
    const name = nameAt();
    const rest = significant.slice(at).filter(({ token }) => token.text !== ';');
    if (name === undefined || rest.length > 0) return refused;
    return { ok: true, kind: 'drop', ifExists, ...name };
  }
  if (!keyword('create')) return refused;
  const orReplace = keyword('or', 'replace');
  if (!keyword('view')) return refused;
  const name = nameAt();
  if (name === undefined || !keyword('as') || at >= significant.length) return refused;
  const select = tokens
    .slice(significant[at - 1].index + 1)
    .map((token) => token.text)
    .join('');
  return { ok: true, kind: 'create', orReplace, ...name, select };
}

function identifierOf(token: SqlToken | undefined): string | undefined {
  if (token?.kind === SqlTokenKind.word) return token.text.toLowerCase();
  if (token?.kind === SqlTokenKind.quotedIdentifier && token.text.length >= 2 && token.text.endsWith('"')) {
    return token.text.slice(1, -1).replaceAll('""', '"');
  }
  return undefined;
}
