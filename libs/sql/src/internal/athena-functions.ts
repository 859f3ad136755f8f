import { type RenamedFunction } from './athena-rewrite';

/** Session settings that give DuckDB Athena's semantics: UTC clock, NULLs last. */
export const athenaSessionSettings: readonly string[] = [
  "SET TimeZone = 'UTC'",
  "SET default_null_order = 'nulls_last'",
];

// Integers and decimals fail on a zero divisor; FLOAT and DOUBLE follow IEEE 754 (Infinity, NaN).
const exactDivisionByZero = `b = 0 AND a IS NOT NULL
    AND typeof(a) NOT IN ('FLOAT', 'DOUBLE') AND typeof(b) NOT IN ('FLOAT', 'DOUBLE')`;

/**
 * Athena's (Trino's) division and remainder, as temporary macros named after the operators, which
 * take precedence over DuckDB's own. An integer or decimal divided by zero fails with "Division by
 * zero" (DuckDB answers NULL); a FLOAT or DOUBLE divided by zero is ±Infinity or NaN; NULL divided by
 * zero is NULL. Integer by integer truncates toward zero and keeps the integer type (DuckDB's `//`).
 * Untyped macros, since typed macro overloads are chosen before aggregate arguments have a type.
 */
export const athenaOperatorMacros: readonly string[] = [
  // The middle branch is DuckDB's IEEE `/`, cast by list_resize to the type of `//`, which it
  // shares for FLOAT and DOUBLE; for integers the branch never runs but must still have their type.
  `CREATE TEMP MACRO "/"(a, b) AS CASE
    WHEN ${exactDivisionByZero} THEN error('Division by zero')
    WHEN b = 0 THEN list_resize([system.main."//"(a, b)][1:0], 1, system.main."/"(a, b))[1]
    ELSE system.main."//"(a, b)
  END`,
  `CREATE TEMP MACRO "%"(a, b) AS CASE
    WHEN ${exactDivisionByZero} THEN error('Division by zero')
    ELSE system.main."%"(a, b)
  END`,
  `CREATE TEMP MACRO mod(a, b) AS a % b`,
];

/** Calls renamed before DuckDB sees them, because DuckDB's function of that name means something else. */
export const renamedAthenaFunctions: readonly RenamedFunction[] = [
  // DuckDB's date_add takes (timestamp, interval).
  { athenaName: 'date_add', duckdbName: 'athena_date_add', argumentCounts: [3] },
  // DuckDB's date_diff counts unit boundaries crossed; Athena counts whole units elapsed.
  { athenaName: 'date_diff', duckdbName: 'athena_date_diff', argumentCounts: [3] },
  // DuckDB's cardinality accepts maps only.
  { athenaName: 'cardinality', duckdbName: 'athena_cardinality' },
  // DuckDB returns '' when nothing matches; Athena returns NULL.
  { athenaName: 'regexp_extract', duckdbName: 'athena_regexp_extract' },
  // DuckDB replaces the first match and writes groups as \1; Athena replaces all and writes $1.
  { athenaName: 'regexp_replace', duckdbName: 'athena_regexp_replace' },
  // DuckDB's element_at on a map returns a list.
  { athenaName: 'element_at', duckdbName: 'athena_element_at' },
  // DuckDB's max_by and min_by skip rows whose value is NULL; Trino answers the value at the extreme key, NULL or not.
  { athenaName: 'max_by', duckdbName: 'arg_max_null', argumentCounts: [2] },
  { athenaName: 'min_by', duckdbName: 'arg_min_null', argumentCounts: [2] },
];

// DuckDB's to_* functions take BIGINT (or DOUBLE) amounts: `amount * INTERVAL 1 MILLISECOND` would
// cast the amount to INTEGER and fail for epoch milliseconds.
const intervalOfUnit = (amount: string) => `CASE lower(unit)
    WHEN 'millisecond' THEN to_milliseconds(${amount})
    WHEN 'second' THEN to_seconds(${amount})
    WHEN 'minute' THEN to_minutes(${amount})
    WHEN 'hour' THEN to_hours(${amount})
    WHEN 'day' THEN to_days(${amount})
    WHEN 'week' THEN to_weeks(${amount})
    WHEN 'month' THEN to_months(${amount})
    WHEN 'quarter' THEN to_quarters(${amount})
    WHEN 'year' THEN to_years(${amount})
    ELSE error('date_add: unknown unit ''' || unit || ''', expected millisecond, second, minute, hour, day, week, month, quarter or year')
  END`;

/**
 * The Athena functions DuckDB lacks or names differently, as DuckDB macros. Functions whose
 * name DuckDB already uses are defined under the stand-in names of {@link renamedAthenaFunctions}.
 */
export const athenaFunctionMacros: readonly string[] = [
  `CREATE MACRO athena_date_add(unit, amount, ts DATE) AS CAST(ts + ${intervalOfUnit('amount')} AS DATE),
    (unit, amount, ts TIMESTAMP) AS ts + ${intervalOfUnit('amount')},
    (unit, amount, ts TIMESTAMPTZ) AS ts + ${intervalOfUnit('amount')}`,
  `CREATE MACRO athena_date_diff(unit, start_ts, end_ts) AS date_sub(lower(unit), start_ts, end_ts)`,
  `CREATE MACRO athena_cardinality(items VARCHAR[]) AS CAST(len(items) AS BIGINT),
    (items BIGINT[]) AS CAST(len(items) AS BIGINT),
    (items DOUBLE[]) AS CAST(len(items) AS BIGINT),
    (entries MAP(VARCHAR, VARCHAR)) AS CAST(cardinality(entries) AS BIGINT)`,
  `CREATE MACRO athena_regexp_extract(text, pattern) AS
      CASE WHEN regexp_matches(text, pattern) THEN regexp_extract(text, pattern) END,
    (text, pattern, grp) AS
      CASE WHEN regexp_matches(text, pattern) THEN regexp_extract(text, pattern, grp) END`,
  `CREATE MACRO athena_regexp_replace(text, pattern) AS regexp_replace(text, pattern, '', 'g'),
    (text, pattern, replacement) AS
      regexp_replace(text, pattern, regexp_replace(replacement, '\\$(\\d)', '\\\\\\1', 'g'), 'g')`,
  `CREATE MACRO athena_element_at(container, key) AS container[key]`,
  `CREATE MACRO from_unixtime(seconds) AS make_timestamptz(CAST(round(CAST(seconds AS DOUBLE) * 1000) AS BIGINT) * 1000)`,
  `CREATE MACRO to_unixtime(ts) AS epoch(ts)`,
  `CREATE MACRO from_iso8601_timestamp(text) AS CAST(text AS TIMESTAMPTZ)`,
  `CREATE MACRO from_iso8601_date(text) AS CAST(text AS DATE)`,
  `CREATE MACRO json_extract_scalar(json, path) AS
    CASE WHEN json_valid(json) AND json_type(json, path) NOT IN ('OBJECT', 'ARRAY')
      THEN json_extract_string(json, path) END`,
  `CREATE MACRO regexp_like(text, pattern) AS regexp_matches(text, pattern)`,
  `CREATE MACRO approx_distinct(value) AS approx_count_distinct(value)`,
  `CREATE MACRO array_join(items, separator) AS array_to_string(items, separator)`,
];
