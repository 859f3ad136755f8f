import { toEpochMillis } from '@engagement-db/canonical-model';
import { JsonText } from './json-text';
import type { TemplateHelpers } from './velocity-template';

/** What the helpers need to know about the record being mapped. */
export interface HelperScope {
  accountId: string | null;
  /** The event object templates see as `$originalEvent`, and the text it was received as. */
  originalEvent: unknown;
  rawEventText: string;
}

type Helper = (scope: HelperScope, args: readonly unknown[]) => unknown;

// The helper names of the original templates' `$jsonTool`. They resolve by method name on any object,
// so `#set($jsonTool = '')` followed by `$jsonTool.toJson(...)` works as it did.
const helpers: Readonly<Record<string, Helper>> = {
  toJson: (scope, [value]) =>
    new JsonText(jsonOf(scope, value), false, value instanceof JsonText ? undefined : value),
  toEscapedJson: (scope, [value]) => new JsonText(jsonOf(scope, value), true),
  convertTime: (_scope, [value]) => toEpochMillis(value instanceof JsonText ? value.text : value) ?? null,
  formatPhoneNumber: (_scope, [value]) => formatPhoneNumber(value),
  determineChannel: (_scope, [eventType]) => determineChannel(eventType),
  formatSESTags: (_scope, [tags]) => {
    const firstValues = firstTagValues(tags);
    return new JsonText(JSON.stringify(firstValues), false, firstValues);
  },
  fetchAccountId: (scope) => scope.accountId,
  retrieveItemFromRaw: (_scope, [jsonText, key]) => retrieveItemFromRaw(jsonText, key),
};

/**
 * The helpers of one mapper: every call reads the scope as it is at the time of the call, so one set
 * serves every record.
 */
export function templateHelpersOf(scope: HelperScope): TemplateHelpers {
  const bound: Record<string, (args: readonly unknown[]) => unknown> = Object.create(null);
  for (const [name, helper] of Object.entries(helpers)) bound[name] = (args) => helper(scope, args);
  return bound;
}

function jsonOf(scope: HelperScope, value: unknown): string {
  // The event itself is written as it was received, not re-serialised: same bytes, same number text.
  if (value === scope.originalEvent) return scope.rawEventText;
  if (value instanceof JsonText) return value.text;
  return JSON.stringify(value) ?? 'null';
}

function formatPhoneNumber(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') return '';
  let digits = '';
  for (const char of String(value)) if (char >= '0' && char <= '9') digits += char;
  return digits === '' ? '' : `+${digits}`;
}

function determineChannel(eventType: unknown): string {
  if (typeof eventType !== 'string') return '';
  const underscore = eventType.indexOf('_');
  return (underscore < 0 ? eventType : eventType.slice(0, underscore)).toLowerCase();
}

function firstTagValues(tags: unknown): Record<string, unknown> | null {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return null;
  const entries: [string, unknown][] = [];
  for (const [name, values] of Object.entries(tags)) {
    const first = Array.isArray(values) ? values[0] : values;
    if (first !== undefined && first !== null) entries.push([name, first]);
  }
  return Object.fromEntries(entries);
}

function retrieveItemFromRaw(jsonText: unknown, key: unknown): unknown {
  let container = jsonText instanceof JsonText ? jsonText.text : jsonText;
  if (typeof container === 'string') {
    try {
      container = JSON.parse(container);
    } catch {
      return null;
    }
  }
  if (typeof container !== 'object' || container === null || typeof key !== 'string') return null;
  return Object.prototype.hasOwnProperty.call(container, key)
    ? (container as Record<string, unknown>)[key]
    : null;
}
