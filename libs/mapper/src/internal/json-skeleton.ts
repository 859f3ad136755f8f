import type { Result } from '@engagement-db/canonical-model';
import { decimalText } from './decimal-text';
import { JsonText } from './json-text';
import { type Plan, planOf } from './skeleton-scanner';

/** The value a rendered skeleton stands for, or where and why its text is not JSON. */
export type SkeletonReading = Result<unknown, string>;

/**
 * Reads rendered skeletons as JSON, putting each token's value in place as a value: the structure
 * comes from the template's text alone, so no value can add or overwrite a field, and no value is
 * ever escaped or parsed again. Inside a JSON string a token stands for the value's text (numbers as
 * decimal text, objects as JSON); elsewhere for the value as JSON. Trailing commas before `}` or `]`,
 * which templates leave after optional fields, are accepted.
 *
 * A template that takes the same branches renders the same skeleton, so each distinct skeleton is
 * scanned once into a plan that later records only fill with their values.
 */
export class SkeletonReader {
  private readonly plans = new Map<string, Plan | string>();

  constructor(private readonly marker: string) {}

  read(skeleton: string, values: readonly unknown[]): SkeletonReading {
    let plan = this.plans.get(skeleton);
    if (plan === undefined) {
      plan = planOf(skeleton, this.marker.charCodeAt(0));
      // Bounded: templates whose output varies without end (#foreach over input) keep working, uncached.
      if (this.plans.size >= maximumPlans) this.plans.clear();
      this.plans.set(skeleton, plan);
    }
    if (typeof plan === 'string') return { ok: false, error: plan };
    return { ok: true, value: fill(plan, values) };
  }
}

const maximumPlans = 512;

function fill(plan: Plan, values: readonly unknown[]): unknown {
  switch (plan.kind) {
    case 'constant':
      return plan.value;
    case 'text': {
      let text = '';
      for (const part of plan.parts) text += typeof part === 'string' ? part : tokenText(values[part]);
      return text;
    }
    case 'token':
      return tokenValue(values[plan.index]);
    case 'object': {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < plan.keys.length; i++) {
        const key = fill(plan.keys[i], values) as string;
        const value = fill(plan.values[i], values);
        // A field named __proto__ stays an ordinary field, as with JSON.parse.
        if (key === '__proto__')
          Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
      }
      return object;
    }
    case 'array':
      return plan.items.map((item) => fill(item, values));
  }
}

/** The text a token's value stands for inside a JSON string. */
export function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? decimalText(value) : '';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value !== 'object' || value === null) return '';
  if (value instanceof JsonText) return value.text;
  return JSON.stringify(value) ?? '';
}

/** The JSON value a token's value stands for where the template expects a whole value. */
export function tokenValue(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'object' || value === null) return null;
  if (value instanceof JsonText) {
    if (value.asString) return value.text;
    return value.value === undefined ? JSON.parse(value.text) : jsonCopy(value.value);
  }
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

/** A copy of parsed JSON data; anything else takes the JSON.stringify round trip for its exact semantics. */
function jsonCopy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    return typeof value === 'string' || typeof value === 'boolean' ? value : null;
  }
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return value.slice();
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value);
    if (entries.every(([key, item]) => typeof item === 'string' && key !== '__proto__'))
      return Object.fromEntries(entries);
  }
  return JSON.parse(JSON.stringify(value) ?? 'null');
}
