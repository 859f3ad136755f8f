import {
  type CanonicalConversation,
  Channel,
  Direction,
  toEpochMillis,
  validateCanonicalConversation,
} from '@engagement-db/canonical-model';
import { timestampRangeProblem, wellFormedValue } from './event-row';

const channels = new Set<string>(Object.values(Channel));
const directions = new Set<string>(Object.values(Direction));

export type ConversationRecordResult =
  { ok: true; conversation: CanonicalConversation } | { ok: false; message: string };

/**
 * Checks and normalises a chatbot conversation record: every field of its type, `channel` and
 * `direction` from their closed sets, `timestamp` (epoch seconds, milliseconds or ISO text) as epoch
 * milliseconds (1970 to 9999, as on the events table), tag values strings with keys lower-cased as on
 * the events table, every string well-formed Unicode (a lone surrogate becomes U+FFFD).
 */
export function conversationOf(value: unknown): ConversationRecordResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: `$ expected a conversation object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`,
    };
  }
  const record: Record<string, unknown> = Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, wellFormedValue(item)]),
  );
  const problems: string[] = [];
  if (typeof record.timestamp === 'string' || typeof record.timestamp === 'number') {
    const millis = toEpochMillis(record.timestamp);
    if (millis === undefined)
      problems.push(
        `$.timestamp expected epoch seconds, milliseconds or ISO 8601 text, got ${JSON.stringify(record.timestamp)}`,
      );
    else {
      record.timestamp = millis;
      const outOfRange = timestampRangeProblem(millis);
      if (outOfRange !== undefined) problems.push(outOfRange);
    }
  }
  if (typeof record.channel === 'string' && !channels.has(record.channel)) {
    problems.push(
      `$.channel expected one of ${[...channels].join(', ')}, got ${JSON.stringify(record.channel)}`,
    );
  }
  if (typeof record.direction === 'string' && !directions.has(record.direction)) {
    problems.push(
      `$.direction expected one of ${[...directions].join(', ')}, got ${JSON.stringify(record.direction)}`,
    );
  }
  const tags = record.tags;
  if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
    record.tags = Object.fromEntries(Object.entries(tags).map(([key, item]) => [key.toLowerCase(), item]));
  }
  const validation = validateCanonicalConversation(record);
  if (!validation.ok) problems.push(...validation.issues.map((issue) => `${issue.path} ${issue.message}`));
  if (problems.length > 0 || !validation.ok) return { ok: false, message: problems.join('; ') };
  return { ok: true, conversation: validation.row };
}
