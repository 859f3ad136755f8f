/** The kinds of token the Athena-to-DuckDB rewrite needs to tell apart. */
export const SqlTokenKind = {
  whitespace: 'whitespace',
  comment: 'comment',
  stringLiteral: 'string-literal',
  quotedIdentifier: 'quoted-identifier',
  word: 'word',
  number: 'number',
  punctuation: 'punctuation',
} as const;
export type SqlTokenKind = (typeof SqlTokenKind)[keyof typeof SqlTokenKind];

/** One token: its kind and its exact text, so that joining every token's text gives the input back. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
}

const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_$]/;
const digit = /[0-9]/;

/**
 * Splits SQL into tokens without losing a character. String literals (`'it''s'`), quoted
 * identifiers (`"a""b"`), line comments (`-- ...`) and block comments are single tokens, so a
 * rewrite of words can never touch their content. An unterminated literal or comment runs to the end.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let at = 0;
  while (at < sql.length) {
    const end = tokenEnd(sql, at);
    tokens.push({ kind: kindAt(sql, at), text: sql.slice(at, end) });
    at = end;
  }
  return tokens;
}

function kindAt(sql: string, at: number): SqlTokenKind {
  const char = sql[at];
  if (/\s/.test(char)) return SqlTokenKind.whitespace;
  if (sql.startsWith('--', at) || sql.startsWith('/*', at)) return SqlTokenKind.comment;
  if (char === "'") return SqlTokenKind.stringLiteral;
  if (char === '"' || char === '`') return SqlTokenKind.quotedIdentifier;
  if (wordStart.test(char)) return SqlTokenKind.word;
  if (digit.test(char)) return SqlTokenKind.number;
  return SqlTokenKind.punctuation;
}

function tokenEnd(sql: string, at: number): number {
  switch (kindAt(sql, at)) {
    case SqlTokenKind.whitespace:
      return scanWhile(sql, at, (c) => /\s/.test(c));
    case SqlTokenKind.comment:
      return commentEnd(sql, at);
    case SqlTokenKind.stringLiteral:
    case SqlTokenKind.quotedIdentifier:
      return quotedEnd(sql, at, sql[at]);
    case SqlTokenKind.word:
      return scanWhile(sql, at, (c) => wordPart.test(c));
    case SqlTokenKind.number:
      return scanWhile(sql, at, (c) => /[0-9.]/.test(c));
    case SqlTokenKind.punctuation:
      return at + 1;
  }
}

function scanWhile(sql: string, at: number, accepts: (char: string) => boolean): number {
  let end = at + 1;
  while (end < sql.length && accepts(sql[end])) end++;
  return end;
}

function commentEnd(sql: string, at: number): number {
  if (sql.startsWith('--', at)) {
    const newline = sql.indexOf('\n', at);
    return newline === -1 ? sql.length : newline;
  }
  const close = sql.indexOf('*/', at + 2);
  return close === -1 ? sql.length : close + 2;
}

// A doubled quote inside the quotes stands for one quote character, in SQL strings and identifiers alike.
function quotedEnd(sql: string, at: number, quote: string): number {
  let end = at + 1;
  while (end < sql.length) {
    if (sql[end] === quote) {
      if (sql[end + 1] === quote) {
        end += 2;
        continue;
      }
      return end + 1;
    }
    end++;
  }
  return sql.length;
}
