import type { Failure, Result } from '@engagement-db/canonical-model';
import {
  type DateRangeValue,
  type FilterSelection,
  FilterKind,
  type FilterValue,
  type Sheet,
} from './dashboard-definition';

/** Why a query for a dashboard's visual or filter could not be made. */
export const DashboardQueryFailureKind = {
  /** No sheet has the id asked for. */
  unknownSheet: 'unknown-sheet',
  /** The sheet has no KPI, chart or table with the id asked for. */
  unknownVisual: 'unknown-visual',
  /** The sheet has no filter with the id asked for (a value was given for it, or its options were asked). */
  unknownFilter: 'unknown-filter',
  /** A filter's value is not one it takes: see the message and the path. */
  badFilterValue: 'bad-filter-value',
} as const;
export type DashboardQueryFailureKind =
  (typeof DashboardQueryFailureKind)[keyof typeof DashboardQueryFailureKind];

export type DashboardQueryFailure = Failure<DashboardQueryFailureKind>;

/** The most values one filter may hold, and the longest value: each value is one query parameter. */
export const filterValueLimits = { values: 1000, characters: 1000 } as const;

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
const earliestDay = '1970-01-01';
const latestDay = '9998-12-31';

/**
 * Checks the filter values a person chose (untrusted: from a URL or a request body) against a sheet's
 * filters. A date range is `{ from?, to? }`, UTC days `YYYY-MM-DD` from 1970-01-01 to 9998-12-31, `from`
 * not after `to`; a values filter is an array of at most 1,000 strings of at most 1,000 characters
 * (any characters: they are bound as query parameters, never written into SQL). A filter left out,
 * `null`, or an empty array narrows nothing.
 *
 * @example
 * checkFilterSelection(smsSheet, { date: { from: '2025-03-01' }, carrier: ['Verizon Wireless'] });
 * // { ok: true, value: { date: { from: '2025-03-01' }, carrier: ['Verizon Wireless'] } }
 */
export function checkFilterSelection(
  sheet: Sheet,
  selection: unknown,
): Result<FilterSelection, DashboardQueryFailure> {
  if (selection === undefined || selection === null) return { ok: true, value: {} };
  if (typeof selection !== 'object' || Array.isArray(selection)) {
    return bad('$', `expected the filter values as an object keyed by filter id, got ${describe(selection)}`);
  }
  const checked: Record<string, FilterValue> = {};
  for (const [id, value] of Object.entries(selection)) {
    const filter = sheet.filters.find((f) => f.id === id);
    if (!filter) {
      return {
        ok: false,
        error: {
          kind: DashboardQueryFailureKind.unknownFilter,
          message: `the ${sheet.id} sheet has no filter ${JSON.stringify(id)}; its filters are ${sheet.filters.map((f) => f.id).join(', ')}`,
          path: `$.${id}`,
        },
      };
    }
    if (value === undefined || value === null) continue;
    const result =
      filter.kind === FilterKind.dateRange ? checkDateRange(`$.${id}`, value) : checkValues(`$.${id}`, value);
    if (!result.ok) return result;
    checked[id] = result.value;
  }
  return { ok: true, value: checked };
}

function checkDateRange(path: string, value: unknown): Result<DateRangeValue, DashboardQueryFailure> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad(path, `expected a date range { from?, to? }, got ${describe(value)}`);
  }
  const range: { from?: string; to?: string } = {};
  for (const [key, day] of Object.entries(value)) {
    if (key !== 'from' && key !== 'to') {
      return bad(`${path}.${key}`, `a date range has from and to only, got ${JSON.stringify(key)}`);
    }
    if (day === undefined || day === null || day === '') continue;
    if (!isDay(day)) {
      return bad(
        `${path}.${key}`,
        `expected a UTC day YYYY-MM-DD from ${earliestDay} to ${latestDay}, got ${describe(day)}`,
      );
    }
    range[key] = day;
  }
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    return bad(path, `the range starts on ${range.from}, after its end on ${range.to}`);
  }
  return { ok: true, value: range };
}

function checkValues(path: string, value: unknown): Result<readonly string[], DashboardQueryFailure> {
  if (!Array.isArray(value)) return bad(path, `expected an array of values, got ${describe(value)}`);
  if (value.length > filterValueLimits.values) {
    return bad(path, `at most ${filterValueLimits.values} values may be chosen, got ${value.length}`);
  }
  for (const [index, item] of value.entries()) {
    if (typeof item !== 'string') return bad(`${path}[${index}]`, `expected text, got ${describe(item)}`);
    if (item.length > filterValueLimits.characters) {
      return bad(
        `${path}[${index}]`,
        `a value has at most ${filterValueLimits.characters} characters, got ${item.length}`,
      );
    }
  }
  return { ok: true, value: [...new Set(value as string[])] };
}

function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !isoDay.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return (
    !Number.isNaN(parsed.getTime()) &&
    parsed.toISOString().slice(0, 10) === value &&
    value >= earliestDay &&
    value <= latestDay
  );
}

function bad(path: string, message: string): { ok: false; error: DashboardQueryFailure } {
  return { ok: false, error: { kind: DashboardQueryFailureKind.badFilterValue, message, path } };
}

// What a value is, for a message: short, and never the whole of a long or odd input.
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
