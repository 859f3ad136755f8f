/**
 * Why one piece of per-record work gave no value: a `kind` from the closed set of the library that
 * failed, a message saying what was expected where and what was found, and, when one field is to
 * blame, its JSON path (`$.timestamp`, `$.Message.detail`, `$.tags.campaign`).
 */
export interface Failure<Kind extends string = string> {
  readonly kind: Kind;
  readonly message: string;
  readonly path?: string;
}

/**
 * A value, or why there is none: what every per-record operation of engagement-db returns, so that
 * bad input is a value to report and keep aside, never an exception.
 *
 * @example
 * ```ts
 * const result: Result<CanonicalEvent[]> = mapper.map(TableName.events, line);
 * if (result.ok) console.log(`${result.value.length} rows`);
 * else console.error(`${result.error.kind} at ${result.error.path ?? '$'}: ${result.error.message}`);
 * ```
 */
export type Result<Value, Error = Failure> =
  { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: Error };
