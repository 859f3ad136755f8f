import {
  type CanonicalConversation,
  type Failure,
  type Result,
  toEpochMillis,
  validateCanonicalConversation,
} from '@engagement-db/canonical-model';
import { timestampRangeProblem, wellFormedValue } from './event-row';

type InvalidRecord = Failure<'invalid-record'>;

/**
 * Checks and normalises a chatbot conversation record: every field of its type, `channel` and
 * `direction` from their closed sets (the schema's own check), `timestamp` (epoch seconds,
 * milliseconds or ISO text) as epoch milliseconds (1970 to 9999, as on the events table), tag values
 * strings with keys lower-cased as on the events table, every string well-formed Unicode (a lone
 * surrogate becomes U+FFFD).
 */
export function conversationOf(value: unknown): Result<CanonicalConversation, InvalidRecord> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(
      '$',
      `$ expected a conversation object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    );
  }
  const record: Record<string, unknown> = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, wellFormedValue(item)]),
  );
  let timestampProblem: string | undefined;
  if (typeof record.timestamp === 'string' || typeof record.timestamp === 'number') {
    const millis = toEpochMillis(record.timestamp);
    if (millis === undefined)
      timestampProblem = `$.timestamp expected epoch seconds, milliseconds or ISO 8601 text, got ${JSON.stringify(record.timestamp)}`;
    else {
      record.timestamp = millis;
      timestampProblem = timestampRangeProblem(millis);
    }
  }
  const tags = record.tags;
  if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
    record.tags = Object.fromEntries(Object.entries(tags).map(([key, item]) => [key.toLowerCase(), item]));
  }
  const validation = validateCanonicalConversation(record);
  if (timestampProblem === undefined) return validation;
  return invalid(
    '$.timestamp',
    validation.ok ? timestampProblem : `${timestampProblem}; ${validation.error.message}`,
  );
}

function invalid(path: string, message: string): { ok: false; error: InvalidRecord } {
  return { ok: false, error: { kind: 'invalid-record', message, path } };
}
