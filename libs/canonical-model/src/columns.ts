/** The storage kinds a canonical column can have, named as Glue (Hive) spells them. */
export const ColumnKind = {
  string: 'string',
  bigint: 'bigint',
  stringArray: 'array<string>',
  stringMap: 'map<string,string>',
} as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** One column of a canonical table: its camelCase JSON name, kind, whether it may be null, and what it means. */
export interface ColumnDefinition {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly required: boolean;
  readonly description: string;
}

/** The TypeScript type that holds a value of each column kind. */
export interface ColumnValueType {
  string: string;
  bigint: number;
  'array<string>': string[];
  'map<string,string>': Record<string, string>;
}

/** A row type derived from a column list: required columns hold a value, the others may be null. */
export type RowOf<Columns extends readonly ColumnDefinition[]> = {
  [C in Columns[number] as C['name']]: C['required'] extends true
    ? ColumnValueType[C['kind']]
    : ColumnValueType[C['kind']] | null;
};

/** A table of the lake: its Glue name, its storage prefix, its columns and its hourly partition column. */
export interface TableSchema<Columns extends readonly ColumnDefinition[] = readonly ColumnDefinition[]> {
  readonly glueName: string;
  /** First path segment of the table's files, in S3 and in the local lake (`events/YYYY/MM/DD/HH/`). */
  readonly prefix: string;
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
