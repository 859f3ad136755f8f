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
  position: number,
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
    else if (key === 'tags') row[key] = stringMapOf(value, true);
    else if (key === 'channelData') row[key] = stringMapOf(value, false);
    else if (key === 'timestamp' && typeof value === 'string') row[key] = toEpochMillis(value) ?? value;
    else if (key === 'destinationAddress' && Array.isArray(value)) {
      const addresses = value.filter((address) => address !== '' && address !== null);
      row[key] = addresses.length === 0 ? null : addresses;
    } else row[key] = value;
  }
  if (row.rawEvent === undefined || row.rawEvent === null) row.rawEvent = rawEventText;
  row.eventId = eventIdOf(rawEventText, position);
  return validateCanonicalEvent(row);
}

function stringMapOf(value: unknown, keepEmpty: boolean): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const map: Record<string, string> = {};
  let size = 0;
  for (const key of Object.keys(value)) {
    const text = mapValueText((value as Record<string, unknown>)[key]);
    if (text === undefined || (text === '' && !keepEmpty)) continue;
    const name = key.toLowerCase();
    // A key such as "__proto__" stays an ordinary key.
    if (name === '__proto__')
      Object.defineProperty(map, name, { value: text, enumerable: true, writable: true, configurable: true });
    else map[name] = text;
    size++;
  }
  return size === 0 ? null : map;
}

function mapValueText(item: unknown): string | undefined {
  switch (typeof item) {
    case 'string':
      return item;
    case 'number':
      return Number.isFinite(item) ? decimalText(item) : undefined;
    case 'boolean':
      return String(item);
    case 'object':
      return item === null ? undefined : JSON.stringify(item);
    default:
      return undefined;
  }
}

/**
 * The deterministic id of a row: the same raw event redelivered gives the same ids, so duplicates can
 * be removed; the fan-out position tells apart the rows of one WhatsApp entry.
 */
function eventIdOf(rawEventText: string, position: number): string {
  return sha256Hex(`${rawEventText}\u0000${position}`).slice(0, 32);
}

// crypto.hash (Node 20.12+) is the one-shot, faster form; older Node 20 releases have only createHash.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
