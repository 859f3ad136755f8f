import * as path from 'node:path';
import { type TableSchema, duckdbColumnsOf } from '@engagement-db/canonical-model';

/** The DuckDB type of the hourly partition column, as Athena's partition projection types it. */
export const partitionColumnType = 'TIMESTAMP';

/**
 * The glob of a table's data files: `<lake>/<prefix>/YYYY/MM/DD/HH/*.parquet`. Digits only in the
 * folder names keeps `_staging` and other working folders out; `[!._]` keeps out the files a
 * writer has not committed yet (`_part.parquet`, `.part.parquet`).
 */
export function dataFileGlob(lake: string, table: TableSchema): string {
  const year = '[0-9]'.repeat(4);
  const twoDigits = '[0-9]'.repeat(2);
  return path.join(lake, table.prefix, year, twoDigits, twoDigits, twoDigits, '[!._]*.parquet');
}

/** Quotes a SQL identifier: `"a""b"`. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a SQL string literal: `'it''s'`. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

// The hour comes from the four folders above the file, whatever the separator of the platform.
const hourFromPath = String.raw`TRY_CAST(regexp_replace(filename, '^.*(\d{4})[/\\](\d{2})[/\\](\d{2})[/\\](\d{2})[/\\][^/\\]*$', '\1-\2-\3 \4:00:00') AS TIMESTAMP)`;

/**
 * The SELECT behind a table's view when the lake holds data files for it: one scan over `files` (a
 * SQL expression: the glob of {@link dataFileGlob} as a literal, or a list of paths), every canonical
 * column with its canonical type, and `ingest_timestamp` taken from the path, so a filter on it
 * prunes whole files before they are opened.
 */
export function dataFileSelect(table: TableSchema, files: string): string {
  const columns = duckdbColumnsOf(table).map(
    (c) => `CAST(${quoteIdentifier(c.name)} AS ${c.type}) AS ${quoteIdentifier(c.name)}`,
  );
  const partition = `${hourFromPath} AS ${quoteIdentifier(table.partitionColumn)}`;
  const source = `read_parquet(${files}, filename = true, union_by_name = true)`;
  return `SELECT ${[...columns, partition].join(', ')} FROM ${source}`;
}

/**
 * The DuckDB variable that holds a table's data files when the engine is given them (the list of
 * the files of committed ingests): a view reads `getvariable(name)`, so a new list is one SET.
 */
export function dataFilesVariable(table: TableSchema): string {
  return `engagementdb_${table.name}_files`;
}

/** The SELECT behind a table's view while the lake holds no data file for it: no rows, same columns. */
export function emptyTableSelect(table: TableSchema): string {
  const columns = duckdbColumnsOf(table).map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdentifier(c.name)}`);
  const partition = `CAST(NULL AS ${partitionColumnType}) AS ${quoteIdentifier(table.partitionColumn)}`;
  return `SELECT ${[...columns, partition].join(', ')} WHERE false`;
}
