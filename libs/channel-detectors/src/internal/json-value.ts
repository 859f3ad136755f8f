import type { Result } from '@engagement-db/canonical-model';
import { jsonNestsTooDeep, maximumJsonDepth } from '../json-depth';

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, as said in failure messages ("got an array"). */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** A short excerpt of a text for failure messages, so one broken record cannot flood a log. */
export function excerptOf(text: string, limit = 60): string {
  const excerpt = text.length > limit ? `${text.slice(0, limit)}…` : text;
  return JSON.stringify(excerpt);
}

/**
 * `JSON.parse` as a value: the parser's own reason on failure, and a failure for JSON that nests
 * deeper than {@link maximumJsonDepth}.
 */
export function parseJson(text: string): Result<unknown, string> {
  try {
    const value = JSON.parse(text) as unknown;
    if (jsonNestsTooDeep(text))
      return { ok: false, error: `its arrays and objects nest more than ${maximumJsonDepth} levels deep` };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
