import { type ColumnKind, type TableSchema, storageName } from './columns';

/** A column as a storage engine declares it. */
export interface StorageColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

const duckdbTypes: Record<ColumnKind, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  'array<string>': 'VARCHAR[]',
  'map<string,string>': 'MAP(VARCHAR, VARCHAR)',
};

/**
 * The Glue (Hive) columns of a table, partition column excluded.
 *
 * @example glueColumnsOf(eventTable)[4] // { name: 'destinationaddress', type: 'array<string>', comment: '...' }
 */
export function glueColumnsOf(table: TableSchema): StorageColumn[] {
  return table.columns.map((c) => ({ name: storageName(c.name), type: c.kind, comment: c.description }));
}

/**
 * The DuckDB columns of a table as Parquet stores them, partition column excluded.
 *
 * @example duckdbColumnsOf(eventTable)[12] // { name: 'timestamp', type: 'BIGINT', comment: '...' }
 */
export function duckdbColumnsOf(table: TableSchema): StorageColumn[] {
  return table.columns.map((c) => ({
    name: storageName(c.name),
    type: duckdbTypes[c.kind],
    comment: c.description,
  }));
}
