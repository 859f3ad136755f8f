import { renamedAthenaFunctions } from './athena-functions';
import { rewriteAthenaSql } from './athena-rewrite';

describe('rewriteAthenaSql', () => {
  it.each([
    ["DATE_ADD('day', -7, CURRENT_TIMESTAMP)", "athena_date_add('day', -7, CURRENT_TIMESTAMP)"],
    ['date_add(ts, INTERVAL 1 DAY)', 'date_add(ts, INTERVAL 1 DAY)'],
    ["date_diff('day', a, b)", "athena_date_diff('day', a, b)"],
    ['cardinality (destinationaddress) > 0', 'athena_cardinality (destinationaddress) > 0'],
    ["date_add('day', f(a, b), g(c, d))", "athena_date_add('day', f(a, b), g(c, d))"],
    ["date_add('day', 1, ARRAY[1, 2][1])", "athena_date_add('day', 1, ARRAY[1, 2][1])"],
    ["regexp_extract(x, '[0-9]+', 1)", "athena_regexp_extract(x, '[0-9]+', 1)"],
    ['element_at(tags, 1)', 'athena_element_at(tags, 1)'],
  ])('renames %s', (sql, expected) => {
    const rewritten = rewriteAthenaSql(sql, renamedAthenaFunctions);

    expect(rewritten.sql).toBe(expected);
  });

  it.each([
    ["SELECT 'cardinality(x)'", 'a string literal'],
    ['SELECT "cardinality"(x)', 'a quoted identifier'],
    ['SELECT 1 -- cardinality(x)', 'a line comment'],
    ['SELECT /* cardinality(x) */ 1', 'a block comment'],
    ['SELECT s.cardinality(x)', 'a qualified name'],
    ['SELECT cardinality FROM t', 'a column of that name'],
  ])('leaves %j alone (%s)', (sql) => {
    const rewritten = rewriteAthenaSql(sql, renamedAthenaFunctions);

    expect(rewritten).toEqual({ sql, renamed: [] });
  });

  it('reports each renamed function once', () => {
    const rewritten = rewriteAthenaSql(
      "SELECT cardinality(a), cardinality(b), date_add('day', 1, c)",
      renamedAthenaFunctions,
    );

    expect(rewritten.renamed.map((r) => r.athenaName)).toEqual(['cardinality', 'date_add']);
  });
});
