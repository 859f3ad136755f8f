import { toEpochMillis } from '@engagement-db/canonical-model';
import { jsonNestsTooDeep } from '@engagement-db/channel-detectors';
import { JsonText } from './json-text';
import type { RenderBudget } from './render-budget';
import { type TemplateHelpers, deferredJsonText, jsonTextOf, readMember } from './template-sandbox';

/** What the helpers need to know about the record being mapped. */
export interface HelperScope {
  accountId: string | null;
  /** The event object templates see as `$originalEvent`, and the text it was received as. */
  originalEvent: unknown;
  rawEventText: string;
}

type Helper = (
  scope: HelperScope,
  args: readonly unknown[],
  budget: RenderBudget,
  jsonText: JsonTextOf,
) => unknown;

/** The JSON text of a template value, for toJson: made at once, or deferred until read. */
type JsonTextOf = (value: unknown, budget: RenderBudget) => JsonText;

const eagerJsonText: JsonTextOf = (value, budget) => new JsonText(jsonTextOf(value, budget), false, value);

// The helper names of the original templates' `$jsonTool`. They resolve by method name on any object,
// so `#set($jsonTool = '')` followed by `$jsonTool.toJson(...)` works as it did. Each charges the
// work it does on its arguments to the record's render budget.
const helpers: Readonly<Record<string, Helper>> = {
  toJson: (scope, [value], budget, jsonText) =>
    value === scope.originalEvent || value instanceof JsonText
      ? new JsonText(jsonOf(scope, value, budget), false, value instanceof JsonText ? undefined : value)
      : jsonText(value, budget),
  toEscapedJson: (scope, [value], budget) => new JsonText(jsonOf(scope, value, budget), true),
  convertTime: (_scope, [value], budget) =>
    toEpochMillis(chargedText(value instanceof JsonText ? value.text : value, budget)) ?? null,
  formatPhoneNumber: (_scope, [value], budget) => formatPhoneNumber(chargedText(value, budget)),
  determineChannel: (_scope, [eventType], budget) => determineChannel(chargedText(eventType, budget)),
  formatSESTags: (_scope, [tags], budget, jsonText) => jsonText(firstTagValues(tags, budget), budget),
  fetchAccountId: (scope) => scope.accountId,
  retrieveItemFromRaw: (_scope, [jsonText, key], budget) =>
    retrieveItemFromRaw(chargedText(jsonText instanceof JsonText ? jsonText.text : jsonText, budget), key),
};

/** The names helpers are called by, on any value. */
export const helperNames: ReadonlySet<string> = new Set(Object.keys(helpers));

/**
 * The helpers of one mapper: every call reads the scope as it is at the time of the call, so one set
 * serves every record. With `deferred`, the JSON text toJson and formatSESTags make is made only when
 * read (the same budget charged): only for templates that never write into data, as compiled ones.
 */
export function templateHelpersOf(
  scope: HelperScope,
  jsonText: 'eager' | 'deferred' = 'eager',
): TemplateHelpers {
  const jsonTextFor = jsonText === 'eager' ? eagerJsonText : deferredJsonText;
  return new Map(
    Object.entries(helpers).map(([name, helper]) => [
      name,
      (args: readonly unknown[], budget: RenderBudget) => helper(scope, args, budget, jsonTextFor),
    ]),
  );
}

function jsonOf(scope: HelperScope, value: unknown, budget: RenderBudget): string {
  // The event itself is written as it was received, not re-serialised: same bytes, same number text.
  if (value === scope.originalEvent) return scope.rawEventText;
  if (value instanceof JsonText) return value.text;
  return jsonTextOf(value, budget);
}

function chargedText<T>(value: T, budget: RenderBudget): T {
  if (typeof value === 'string') budget.chars(value.length);
  return value;
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

function firstTagValues(tags: unknown, budget: RenderBudget): Record<string, unknown> | null {
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return null;
  const firstValues: Record<string, unknown> = {};
  const names = Object.keys(tags);
  budget.step(names.length);
  for (const name of names) {
    const values = readMember(tags, name);
    const first = Array.isArray(values) ? readMember(values, 0) : values;
    if (first === undefined || first === null) continue;
    // A tag named __proto__ stays an ordinary field, as Object.fromEntries would make it.
    if (name === '__proto__')
      Object.defineProperty(firstValues, name, {
        value: first,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else firstValues[name] = first;
  }
  return firstValues;
}

function retrieveItemFromRaw(jsonText: unknown, key: unknown): unknown {
  let container = jsonText;
  if (typeof container === 'string') {
    if (jsonNestsTooDeep(container)) return null;
    try {
      container = JSON.parse(container);
    } catch {
      return null;
    }
  }
  return readMember(container, key) ?? null;
}
