import { SqlTokenKind, tokenizeSql } from './sql-tokens';

describe('tokenizeSql', () => {
  it.each([
    ["SELECT 'it''s (x)' FROM t", SqlTokenKind.stringLiteral, "'it''s (x)'"],
    ['SELECT "a""b(" FROM t', SqlTokenKind.quotedIdentifier, '"a""b("'],
    ['SELECT 1 -- cardinality(x)\nFROM t', SqlTokenKind.comment, '-- cardinality(x)'],
    ['SELECT /* date_add( */ 1', SqlTokenKind.comment, '/* date_add( */'],
    ['SELECT 12.5 AS n', SqlTokenKind.number, '12.5'],
    ['SELECT abc_1$ FROM t', SqlTokenKind.word, 'abc_1$'],
  ])('keeps %j as whole tokens', (sql, kind, text) => {
    const tokens = tokenizeSql(sql);

    expect(tokens).toContainEqual({ kind, text });
  });

  it('gives the input back when the token texts are joined', () => {
    const sql = `SELECT a, 'x''y' "q" -- c\n/* d */ FROM "t"."u" WHERE b >= 1.5`;

    const tokens = tokenizeSql(sql);

    expect(tokens.map((t) => t.text).join('')).toBe(sql);
  });

  it.each([
    ["SELECT 'open", "'open"],
    ['SELECT /* open', '/* open'],
    ['SELECT "open', '"open'],
  ])('runs an unterminated literal or comment to the end in %j', (sql, last) => {
    const tokens = tokenizeSql(sql);

    expect(tokens.at(-1)?.text).toBe(last);
  });
});
