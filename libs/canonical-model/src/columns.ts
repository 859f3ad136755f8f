import type { TableName } from './names';

/** The storage kinds a canonical column can have, named as Glue (Hive) spells them. */
export const ColumnKind = {
  string: 'string',
  bigint: 'bigint',
  stringArray: 'array<string>',
  stringMap: 'map<string,string>',
} as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/**
 * One column of a canonical table: its camelCase JSON name, kind, whether it may be null, what it
 * means, and for a closed set (`channel`, `direction`) the only values it may hold.
 */
export interface ColumnDefinition {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly required: boolean;
  readonly description: string;
  readonly values?: readonly string[];
}

/** The TypeScript type that holds a value of each column kind. */
export interface ColumnValueType {
  string: string;
  bigint: number;
  'array<string>': string[];
  'map<string,string>': Record<string, string>;
}

/** The TypeScript type of one column: its closed set when it has one, else its kind's type. */
type ColumnType<C extends ColumnDefinition> = C extends { readonly values: readonly (infer V)[] }
  ? V
  : ColumnValueType[C['kind']];

/** A row type derived from a column list: required columns hold a value, the others may be null. */
export type RowOf<Columns extends readonly ColumnDefinition[]> = {
  [C in Columns[number] as C['name']]: C['required'] extends true ? ColumnType<C> : ColumnType<C> | null;
};

/**
 * One canonical table and every name it has across the workspace: its {@link TableName}, its Glue
 * table, the Firehose delivery stream that feeds it (on AWS and on the local `serve` endpoint), the
 * folders of its files and of its refused records (in S3 and in the local lake), and its columns.
 */
export interface TableSchema<Columns extends readonly ColumnDefinition[] = readonly ColumnDefinition[]> {
  readonly name: TableName;
  readonly glueName: string;
  readonly deliveryStreamName: string;
  /** The folder of the table's files, in S3 and in the local lake: `events` → `events/YYYY/MM/DD/HH/`. */
  readonly prefix: string;
  /** The folder of the records that could not be mapped: `errors/events` → `errors/events/.../`. */
  readonly errorPrefix: string;
  readonly columns: Columns;
  /** The hour partition column, a TIMESTAMP derived from the `YYYY/MM/DD/HH` path. */
  readonly partitionColumn: 'ingest_timestamp';
}

/**
 * The stored (Glue, Parquet, DuckDB) name of a column: the JSON name lower-cased, as Athena and
 * Firehose's OpenX JSON deserializer spell it.
 *
 * @example storageName('destinationAddress') // 'destinationaddress'
 */
export function storageName(jsonName: string): string {
  return jsonName.toLowerCase();
}
