import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { InvalidPropsError } from './errors';

/** One rule about one prop: its value, whether the value keeps the rule, and the words for when not. */
export interface PropRule {
  /** The prop's name, e.g. `bufferSizeMiB`. */
  readonly prop: string;
  readonly value: unknown;
  /** Whether the value keeps the rule; not checked when the value is an unresolved token. */
  readonly valid: boolean;
  /** What a valid value looks like, and why when it is not obvious. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Checks a construct's props in its constructor, as aws-cdk's own constructs do, and throws one
 * `InvalidPropsError` naming the construct and its path with every broken rule: the value got,
 * what was expected and how to fix it. Values that are unresolved tokens are not checked.
 *
 * @example
 * checkProps(this, [{ prop: 'bufferSizeMiB', value: size, valid: size >= 64 && size <= 128,
 *   expected: 'a whole number of MiB from 64 to 128', fix: 'pass a bufferSizeMiB from 64 to 128' }]);
 */
export function checkProps(scope: IConstruct, rules: readonly PropRule[]): void {
  const problems = rules
    .filter((rule) => !rule.valid && !Token.isUnresolved(rule.value))
    .map((rule) => `${rule.prop} is ${show(rule.value)}; expected ${rule.expected}. Fix: ${rule.fix}.`);
  if (problems.length > 0) {
    throw new InvalidPropsError(`${scope.constructor.name} at ${scope.node.path}`, problems);
  }
}

/**
 * A rule for a number prop, written once: a construct checks its prop by it (`numberRule`) and the
 * app's configuration setting spreads it, so the setting and the construct never disagree.
 *
 * @example
 * export const bufferSizeRule: NumberRule = { kind: 'integer', min: 64, max: 128, expected: 'a whole number of MiB from 64 to 128' };
 * settings: { eventsBufferSizeMiB: { ...bufferSizeRule, default: 128, example: '128', question: '...' } }
 */
export interface NumberRule {
  /** `integer` rejects fractions. */
  readonly kind: 'integer' | 'number';
  readonly min: number;
  readonly max: number;
  /** What a valid value looks like, and why when it is not obvious. */
  readonly expected: string;
}

/**
 * The prop rule a number prop keeps when it follows a `NumberRule`.
 *
 * @example checkProps(this, [numberRule('bufferSizeMiB', props.bufferSizeMiB, bufferSizeRule)]);
 */
export function numberRule(prop: string, value: number, rule: NumberRule): PropRule {
  return {
    prop,
    value,
    valid:
      Number.isFinite(value) &&
      value >= rule.min &&
      value <= rule.max &&
      (rule.kind === 'number' || Number.isInteger(value)),
    expected: rule.expected,
    fix: `pass ${prop} from ${rule.min} to ${rule.max}`,
  };
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
