import { type SqlToken, SqlTokenKind, tokenizeSql } from './sql-tokens';

/** An Athena function that DuckDB also has under the same name with another meaning, and its stand-in. */
export interface RenamedFunction {
  readonly athenaName: string;
  readonly duckdbName: string;
  /** The argument counts that take the Athena meaning; every count when absent. */
  readonly argumentCounts?: readonly number[];
}

/** The SQL to run and the Athena functions that were renamed in it. */
export interface RewrittenSql {
  readonly sql: string;
  readonly renamed: readonly RenamedFunction[];
}

/**
 * Renames calls of Athena functions whose DuckDB namesake differs, leaving string literals, quoted
 * identifiers, comments and qualified names (`x.cardinality(...)`) untouched.
 */
export function rewriteAthenaSql(sql: string, rules: readonly RenamedFunction[]): RewrittenSql {
  const tokens = tokenizeSql(sql);
  const significant = tokens
    .map((token, index) => ({ token, index }))
    .filter(({ token }) => !isTrivia(token));
  const texts = tokens.map((token) => token.text);
  const renamed = new Map<string, RenamedFunction>();
  significant.forEach(({ token, index }, position) => {
    if (token.kind !== SqlTokenKind.word) return;
    const rule = rules.find((r) => r.athenaName === token.text.toLowerCase());
    if (!rule) return;
    const before = significant[position - 1]?.token.text;
    const after = significant[position + 1]?.token.text;
    if (before === '.' || after !== '(') return;
    const count = argumentCount(significant.slice(position + 1).map((s) => s.token));
    if (rule.argumentCounts && !rule.argumentCounts.includes(count)) return;
    texts[index] = rule.duckdbName;
    renamed.set(rule.athenaName, rule);
  });
  return { sql: texts.join(''), renamed: [...renamed.values()] };
}

function isTrivia(token: SqlToken): boolean {
  return token.kind === SqlTokenKind.whitespace || token.kind === SqlTokenKind.comment;
}

// Counts the top-level arguments of a call, given the significant tokens from its opening parenthesis on.
function argumentCount(fromOpening: readonly SqlToken[]): number {
  let depth = 0;
  let commas = 0;
  for (let i = 0; i < fromOpening.length; i++) {
    const text = fromOpening[i].text;
    if (text === '(' || text === '[') depth++;
    else if (text === ')' || text === ']') {
      depth--;
      if (depth === 0) return i === 1 ? 0 : commas + 1;
    } else if (text === ',' && depth === 1) commas++;
  }
  return commas + 1;
}
