import * as crypto from 'node:crypto';
import {
  type CanonicalEvent,
  type Failure,
  type Result,
  toEpochMillis,
  validateCanonicalEvent,
} from '@engagement-db/canonical-model';
import { MappingFailureKind } from '../mapping-failure';
import { decimalText } from './decimal-text';

type RowFailure = Failure<typeof MappingFailureKind.invalidOutput | typeof MappingFailureKind.invalidRecord>;

/**
 * Turns a template's parsed output into a canonical event: the one place where the engine, not the
 * template, decides the shape of stored values.
 * - Every string (fields, addresses, map keys and values, `rawEvent`) is well-formed Unicode: a lone
 *   UTF-16 surrogate, legal in JSON text, becomes U+FFFD, since Parquet, Glue and Athena store UTF-8.
 * - `timestamp` is between 1970-01-01 and 9999-12-31, the range whose hourly partition the lake and
 *   S3 can name.
 * - Keys of `tags` and `channelData` are lower-cased here, once: on AWS, Firehose's OpenX JSON
 *   deserializer lower-cases map keys, and the documented queries read `channeldata['isocountrycode']`,
 *   so the local lake must hold the same keys whatever a template writes.
 * - Map values are strings: numbers as decimal text, objects and arrays as JSON; null entries, and
 *   empty `channelData` entries (a source field the event did not have), are left out.
 * - An empty string in a top-level field becomes null; a text timestamp becomes epoch milliseconds.
 * - `rawEvent` defaults to the event as received; `eventId` is always the engine's.
 */
export function eventRowOf(
  output: unknown,
  rawEventText: string,
  eventId: string,
): Result<CanonicalEvent, RowFailure> {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) {
    return {
      ok: false,
      error: {
        kind: MappingFailureKind.invalidOutput,
        message: `expected the template to render a JSON object, got ${Array.isArray(output) ? 'an array' : String(output === null ? 'null' : typeof output)}`,
        path: '$',
      },
    };
  }
  const row: Record<string, unknown> = {};
  const fields = output as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (key === '__proto__')
      Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
    else if (value === '') row[key] = null;
    else if (typeof value === 'string')
      row[key] = key === 'timestamp' ? (toEpochMillis(value) ?? value) : wellFormed(value);
    else if (key === 'tags') row[key] = stringMapOf(value, true);
    else if (key === 'channelData') row[key] = stringMapOf(value, false);
    else if (key === 'destinationAddress' && Array.isArray(value)) {
      const addresses = value.filter((address) => address !== '' && address !== null);
      row[key] = addresses.length === 0 ? null : wellFormedValue(addresses);
    } else row[key] = value;
  }
  if (row.rawEvent === undefined || row.rawEvent === null) row.rawEvent = wellFormed(rawEventText);
  row.eventId = eventId;
  const outOfRange = timestampRangeProblem(row.timestamp);
  if (outOfRange !== undefined) {
    return {
      ok: false,
      error: { kind: MappingFailureKind.invalidRecord, message: outOfRange, path: '$.timestamp' },
    };
  }
  return validateCanonicalEvent(row);
}

// The U+FFFD decision, made here for every row of both tables. Node 20 has both methods; the
// TypeScript library of this workspace (ES2022) does not declare them yet.
type WellFormedText = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * The text with each lone UTF-16 surrogate replaced by U+FFFD, as a UTF-8 encoder writes it.
 *
 * @example wellFormed('x\ud800y') // 'x\ufffdy'
 */
export function wellFormed(text: string): string {
  const unchecked = text as WellFormedText;
  return unchecked.isWellFormed() ? text : unchecked.toWellFormed();
}

/**
 * A column value with {@link wellFormed} strings: a string, the strings of an array, the keys and
 * string values of a map; anything else as it is.
 */
export function wellFormedValue(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedItem);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormedItem(item)]),
  );
}

function wellFormedItem(item: unknown): unknown {
  return typeof item === 'string' ? wellFormed(item) : item;
}

const latestStorableMillis = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Why a timestamp the schema accepts cannot be stored: before 1970 or after 9999 its hourly
 * partition has no `YYYY/MM/DD/HH` name (and past year 275760 no date at all).
 */
export function timestampRangeProblem(timestamp: unknown): string | undefined {
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) return undefined;
  if (timestamp >= 0 && timestamp <= latestStorableMillis) return undefined;
  return `$.timestamp expected epoch milliseconds from 1970-01-01 to 9999-12-31 (0 to ${latestStorableMillis}), got ${timestamp}`;
}

/**
 * A `tags` or `channelData` value as stored: keys lower-cased, values as text (see
 * {@link mapValueText}), entries without text left out (and empty ones too unless `keepEmpty`);
 * null when nothing is left. Anything but an object is returned as it is, for validation to refuse.
 */
export function stringMapOf(value: unknown, keepEmpty: boolean): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const map: Record<string, string> = {};
  let size = 0;
  for (const key of Object.keys(value)) {
    const text = mapValueText((value as Record<string, unknown>)[key]);
    if (text === undefined || (text === '' && !keepEmpty)) continue;
    const name = wellFormed(key.toLowerCase());
    // A key such as "__proto__" stays an ordinary key.
    if (name === '__proto__')
      Object.defineProperty(map, name, { value: text, enumerable: true, writable: true, configurable: true });
    else map[name] = text;
    size++;
  }
  return size === 0 ? null : map;
}

/** The text a map value is stored as: strings well-formed, numbers as decimal text, objects as JSON; undefined for null and non-finite numbers. */
export function mapValueText(item: unknown): string | undefined {
  if (typeof item === 'string') return wellFormed(item);
  if (typeof item === 'number') return Number.isFinite(item) ? decimalText(item) : undefined;
  if (typeof item === 'boolean') return String(item);
  return typeof item === 'object' && item !== null ? JSON.stringify(item) : undefined;
}

/**
 * The deterministic ids of the rows of one raw event: the first 32 hex digits of sha256(raw event
 * text, NUL, position). The same raw event redelivered gives the same ids, so duplicates can be
 * removed; the position tells apart the rows of one WhatsApp entry. The text is hashed once and each
 * further position continues from a copy of that state, so n rows cost one pass over the text, not n.
 *
 * @example eventIdsOf('{"eventType":"Send"}')(0) // 32 hex characters
 */
export function eventIdsOf(rawEventText: string): (position: number) => string {
  let hashedText: crypto.Hash | undefined;
  return (position) => {
    if (position === 0) return sha256Hex(`${rawEventText}\u0000${position}`).slice(0, 32);
    hashedText ??= crypto.createHash('sha256').update(rawEventText);
    return hashedText.copy().update(`\u0000${position}`).digest('hex').slice(0, 32);
  };
}

// crypto.hash (Node 20.12+) is the one-shot, faster form; older Node 20 releases have only createHash.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
