import {
  type DuckDBType,
  DuckDBArrayType,
  DuckDBArrayValue,
  DuckDBDecimalType,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListType,
  DuckDBListValue,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBStructType,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/** A value JSON can hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A DuckDB value as plain JSON-able JavaScript: integers as numbers when safe (else their digits),
 * decimals as numbers, timestamps as `YYYY-MM-DD HH:MM:SS.sss` (with ` UTC` when zoned), lists as
 * arrays, maps and structs as objects.
 */
export function jsonValueOf(value: DuckDBValue): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return bigintValue(value);
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBTimestampValue)
    return timestampText(value.micros, value.isFinite, String(value));
  if (value instanceof DuckDBTimestampTZValue) {
    return value.isFinite ? `${timestampText(value.micros, true, '')} UTC` : String(value);
  }
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return timestampText(value.millis * 1000n, value.isFinite, String(value));
  if (value instanceof DuckDBTimestampSecondsValue)
    return timestampText(value.seconds * 1_000_000n, value.isFinite, String(value));
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return timestampText(value.nanos / 1000n, value.isFinite, String(value));
  if (value instanceof DuckDBDateValue) return String(value);
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue)
    return value.items.map(jsonValueOf);
  if (value instanceof DuckDBMapValue) {
    return Object.fromEntries(
      value.entries.map((entry) => [String(jsonValueOf(entry.key)), jsonValueOf(entry.value)]),
    );
  }
  if (value instanceof DuckDBStructValue) {
    return Object.fromEntries(Object.entries(value.entries).map(([key, field]) => [key, jsonValueOf(field)]));
  }
  return String(value);
}

function bigintValue(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

function timestampText(micros: bigint, isFinite: boolean, fallback: string): string {
  if (!isFinite) return fallback;
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const iso = new Date(Number(millis)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

const athenaTypeNames: Readonly<Record<string, string>> = {
  VARCHAR: 'varchar',
  BOOLEAN: 'boolean',
  TINYINT: 'tinyint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  // DuckDB sums integers into HUGEINT where Athena keeps bigint.
  HUGEINT: 'bigint',
  UBIGINT: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double',
  DATE: 'date',
  TIME: 'time',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  INTERVAL: 'interval day to second',
  BLOB: 'varbinary',
  UUID: 'uuid',
  JSON: 'json',
  '"NULL"': 'unknown',
};

/**
 * A DuckDB type spelled as Athena names it: `VARCHAR[]` is `array(varchar)`, `MAP(VARCHAR, VARCHAR)`
 * is `map(varchar, varchar)`, a struct is `row(name type, ...)`. Unknown types are lower-cased.
 */
export function athenaTypeNameOf(type: DuckDBType): string {
  if (type instanceof DuckDBListType || type instanceof DuckDBArrayType)
    return `array(${athenaTypeNameOf(type.valueType)})`;
  if (type instanceof DuckDBMapType)
    return `map(${athenaTypeNameOf(type.keyType)}, ${athenaTypeNameOf(type.valueType)})`;
  if (type instanceof DuckDBStructType) {
    return `row(${type.entryNames.map((name, index) => `${name} ${athenaTypeNameOf(type.entryTypes[index])}`).join(', ')})`;
  }
  if (type instanceof DuckDBDecimalType) return `decimal(${type.width},${type.scale})`;
  const name = type.toString();
  return athenaTypeNames[name] ?? name.toLowerCase();
}
