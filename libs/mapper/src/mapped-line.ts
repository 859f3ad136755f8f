/**
 * One row as the JSON line it is stored as, with what a writer needs to file it: exactly
 * `JSON.stringify(row)` of the row `map` gives, without the row object being built.
 *
 * @example
 * ```ts
 * const result = mapper.mapLines(TableName.events, raw);
 * if (result.ok) for (const line of result.value) spool(partitionPathOf(line.timestamp), `${line.text}\n`);
 * ```
 */
export interface MappedLine {
  /** The row's JSON text, without a line break. */
  readonly text: string;
  /** The row's `channel`. */
  readonly channel: string;
  /** The row's `timestamp`, epoch milliseconds: its UTC hour is the row's partition. */
  readonly timestamp: number;
}
