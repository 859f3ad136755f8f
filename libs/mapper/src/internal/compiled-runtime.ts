import {
  type CanonicalEvent,
  type ColumnDefinition,
  eventColumns,
  toEpochMillis,
} from '@engagement-db/canonical-model';
import { tokenText, tokenValue } from './json-skeleton';
import { JsonText } from './json-text';
import { eventRowOf, mapValueText, stringMapOf, timestampRangeProblem, wellFormed } from './event-row';
import {
  admitted,
  applyOperator,
  callMethod,
  chargeJsonSize,
  itemsOf,
  memberOf,
  rangeOf,
  readMember,
  textOf,
  writeMember,
} from './template-sandbox';
import type { RenderBudget } from './render-budget';

/*
 * What compiled templates call besides the template sandbox: the skeleton reader's reading of a
 * token (tokenText, tokenValue), and eventRowOf's treatment and validateRow's check of one field,
 * folded together for the fields a template's text places. A compiled render never reports a
 * failure of its own: wherever the interpreter could end up with a failure, it throws BAIL, and the
 * mapper maps the record again with the interpreter, which gives the failure (or, should the two
 * ever differ, the interpreter's rows).
 */

/** Thrown by compiled code where it cannot prove the interpreter's outcome: the record is interpreted instead. */
export const BAIL: object = Object.freeze({ bail: true });

/** The value of a `#set` variable not set yet in this render. */
export const UNSET: object = Object.freeze({ unset: true });

function bail(): never {
  throw BAIL;
}

/** The length of the text of the token with this index (marker, digits, marker), as the interpreter writes it. */
function tokenLength(index: number): number {
  return index < 10 ? 3 : index < 100 ? 4 : 2 + String(index).length;
}

/**
 * Charges what the interpreter charges for placing a value in its output: the value's size, then the
 * token's text (marker, index digits, marker) of this length. (Generated code charges strings itself.)
 */
function placeValue(value: unknown, tokenLength: number, budget: RenderBudget): void {
  if (typeof value === 'string') budget.chars(value.length);
  else chargeJsonSize(value, budget);
  budget.chars(tokenLength);
}

/** A field of an object the output builds, as the skeleton reader sets it (`__proto__` stays a field). */
function setField(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

const columnsByName: ReadonlyMap<string, ColumnDefinition> = new Map(
  eventColumns.map((column) => [column.name, column]),
);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** validateRow's check of a present value against its column's kind. */
function fits(column: ColumnDefinition, value: unknown): boolean {
  switch (column.kind) {
    case 'string':
      return typeof value === 'string' && (column.values === undefined || column.values.includes(value));
    case 'bigint':
      return Number.isSafeInteger(value);
    case 'array<string>':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'map<string,string>':
      return isPlainObject(value) && Object.values(value).every((item) => typeof item === 'string');
  }
}

/**
 * eventRowOf's treatment of the top-level field `key` holding the output value `value`, then
 * validateRow's check of it: the column's value (null when absent), or BAIL where the row would
 * fail (a required column that stays null is left to the end of the render).
 */
function columnOf(key: string, value: unknown): unknown {
  const column = columnsByName.get(key);
  if (column === undefined) return bail();
  let stored: unknown;
  if (value === '') return null;
  if (typeof value === 'string')
    stored = key === 'timestamp' ? (toEpochMillis(value) ?? value) : wellFormed(value);
  else if (key === 'tags') stored = stringMapOf(value, true);
  else if (key === 'channelData') stored = stringMapOf(value, false);
  else if (key === 'destinationAddress' && Array.isArray(value)) stored = addressesOf(value);
  else stored = value;
  if (key === 'timestamp' && timestampRangeProblem(stored) !== undefined) return bail();
  if (stored === null || stored === undefined) return null;
  return fits(column, stored) ? stored : bail();
}

function addressesOf(list: readonly unknown[]): unknown {
  const addresses = list.filter((address) => address !== '' && address !== null);
  return addresses.length === 0
    ? null
    : addresses.map((address) => (typeof address === 'string' ? wellFormed(address) : address));
}

/** {@link columnOf} of a token's value (the reader's tokenValue), for a column of text. */
function holeText(key: string, value: unknown): unknown {
  if (typeof value === 'string') return value === '' ? null : wellFormed(value);
  return columnOf(key, tokenValue(value));
}

const latestStorableMillis = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** {@link columnOf} of a token's value for `timestamp`; an integer in range is taken as it is. */
function holeTimestamp(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= latestStorableMillis)
    return value;
  return columnOf('timestamp', tokenValue(value));
}

// A helper's JSON result made of plain data the reader would copy member for member: the copy and
// the original give the same stored value, so the copy is skipped.
function plainStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return false;
  for (const key of Object.keys(value)) {
    if (key === '__proto__' || typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  }
  return true;
}

/** {@link columnOf} of a token's value for `tags` or `channelData`. */
function holeMap(key: string, value: unknown, keepEmpty: boolean): unknown {
  if (value instanceof JsonText && !value.asString && plainStringRecord(value.value))
    return stringMapOf(value.value, keepEmpty);
  return columnOf(key, tokenValue(value));
}

/** {@link columnOf} of a token's value for `destinationAddress`. */
function holeAddresses(value: unknown): unknown {
  if (value instanceof JsonText && !value.asString && Array.isArray(value.value)) {
    const list: unknown[] = value.value;
    if (list.every((item) => typeof item === 'string')) return addressesOf(list);
  }
  return columnOf('destinationAddress', tokenValue(value));
}

/** The row of an output the generic way (eventRowOf), or BAIL. */
function rowOf(output: unknown, eventText: string, eventId: string): CanonicalEvent {
  const row = eventRowOf(output, eventText, eventId);
  return row.ok ? row.value : bail();
}

/**
 * Everything generated code can reach, by name; the generated source names nothing else (no
 * global, no `this`, no template text: the template's own words come in through a constants array).
 */
export const compiledRuntime = {
  // The template sandbox: every read, call and write a template makes.
  readMember,
  memberOf,
  hasOwn: Object.hasOwn,
  getPrototypeOf: Object.getPrototypeOf,
  isArray: Array.isArray,
  objectPrototype: Object.prototype,
  arrayPrototype: Array.prototype,
  callMethod,
  writeMember,
  itemsOf,
  rangeOf,
  textOf,
  applyOperator,
  admitted,
  // The skeleton reader's reading of a token and the budget the interpreter charges for it.
  tokenText,
  tokenValue,
  placeValue,
  tokenLength,
  setField,
  // Rows: eventRowOf and validateRow, field by field.
  BAIL,
  UNSET,
  wellFormed,
  mapValueText,
  columnOf,
  holeText,
  holeTimestamp,
  holeMap,
  holeAddresses,
  rowOf,
} as const;

export type CompiledRuntime = typeof compiledRuntime;
