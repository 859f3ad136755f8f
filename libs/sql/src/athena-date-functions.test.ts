import { makeTempFolder, removeTempFolder } from '../test/test-lake';
import { type QueryEngine, openQueryEngine } from './index';

/**
 * DATE_ADD and DATE_DIFF for every unit Athena documents, checked against answers computed here,
 * following Trino (Athena engine 3), which takes both from Joda-Time's ISO chronology in UTC:
 * - adding months, quarters or years keeps the day of the month, or the month's last day when it
 *   has fewer days (Jan 31 + 1 month = Feb 28 or 29; Feb 29 + 1 year = Feb 28);
 * - DATE_DIFF counts whole units elapsed, truncated toward zero; for months (and quarters, a third
 *   of them) a span ending on the last day of its month is whole when it started on a later day of
 *   the month (Jan 31 to Feb 28 is 1 month); for years, Feb 29 counts as Feb 28 against a common year.
 */
const fixedUnits = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
} as const;
const calendarUnits = { month: 1, quarter: 3, year: 12 } as const;
type DateUnit = keyof typeof fixedUnits | keyof typeof calendarUnits;
const units = [...Object.keys(fixedUnits), ...Object.keys(calendarUnits)] as DateUnit[];
const dateUnits: DateUnit[] = ['day', 'week', 'month', 'quarter', 'year'];

const dayMillis = fixedUnits.day;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

interface Parts {
  readonly year: number;
  readonly month: number; // 0-based
  readonly day: number;
  readonly timeOfDay: number; // milliseconds since midnight
}

function partsOf(millis: number): Parts {
  const date = new Date(millis);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
    timeOfDay: millis - midnight,
  };
}

function millisOf(parts: Parts): number {
  return Date.UTC(parts.year, parts.month, parts.day) + parts.timeOfDay;
}

function addMonths(millis: number, months: number): number {
  const { year, month, day, timeOfDay } = partsOf(millis);
  const total = year * 12 + month + months;
  const target = { year: Math.floor(total / 12), month: ((total % 12) + 12) % 12 };
  return millisOf({ ...target, day: Math.min(day, daysInMonth(target.year, target.month)), timeOfDay });
}

function expectedDateAdd(unit: DateUnit, amount: number, millis: number): number {
  return unit in fixedUnits
    ? millis + amount * fixedUnits[unit as keyof typeof fixedUnits]
    : addMonths(millis, amount * calendarUnits[unit as keyof typeof calendarUnits]);
}

// Joda's month difference: whole months from `from` to `to` (to >= from).
function wholeMonths(from: number, to: number): number {
  const end = partsOf(to);
  let start = partsOf(from);
  let months = (end.year - start.year) * 12 + end.month - start.month;
  if (end.day === daysInMonth(end.year, end.month) && start.day > end.day) start = { ...start, day: end.day };
  const remainder = (parts: Parts) => millisOf(parts) - Date.UTC(parts.year, parts.month, 1);
  if (remainder(end) < remainder(start)) months--;
  return months;
}

// Joda's year difference: whole years from `from` to `to` (to >= from), Feb 29 balanced against common years.
function wholeYears(from: number, to: number): number {
  const start = partsOf(from);
  const end = partsOf(to);
  let startRemainder = from - Date.UTC(start.year, 0, 1);
  let endRemainder = to - Date.UTC(end.year, 0, 1);
  const feb29 = (31 + 28) * dayMillis;
  if (startRemainder >= feb29) {
    if (isLeapYear(start.year)) {
      if (!isLeapYear(end.year)) startRemainder -= dayMillis;
    } else if (endRemainder >= feb29 && isLeapYear(end.year)) {
      endRemainder -= dayMillis;
    }
  }
  return end.year - start.year - (endRemainder < startRemainder ? 1 : 0);
}

function expectedDateDiff(unit: DateUnit, from: number, to: number): number {
  if (to < from) return 0 - expectedDateDiff(unit, to, from);
  if (unit in fixedUnits) return Math.floor((to - from) / fixedUnits[unit as keyof typeof fixedUnits]);
  if (unit === 'year') return wholeYears(from, to);
  return Math.floor(wholeMonths(from, to) / calendarUnits[unit as 'month' | 'quarter']);
}

const timestampText = (millis: number) => new Date(millis).toISOString().replace('T', ' ').replace('Z', '');
const timestampLiteral = (millis: number) => `TIMESTAMP '${timestampText(millis)}'`;
const dateText = (millis: number) => new Date(millis).toISOString().slice(0, 10);
const dateLiteral = (millis: number) => `DATE '${dateText(millis)}'`;
const utc = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`);

// A small seeded generator, so a failure can be replayed.
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Instants that crowd the edges: month ends, Feb 28/29, Mar 1, year ends, midnight, and anywhere.
function instants(random: () => number, count: number): number[] {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, () => {
    const year = 2019 + Math.floor(random() * 8);
    const month = Math.floor(random() * 12);
    const day = pick([1, 2, 15, 27, 28, 29, 30, 31, daysInMonth(year, month)]);
    const timeOfDay = pick([0, 1, dayMillis - 1, Math.floor(random() * dayMillis)]);
    return millisOf({ year, month, day: Math.min(day, daysInMonth(year, month)), timeOfDay });
  });
}

const midnightOf = (millis: number) => millis - partsOf(millis).timeOfDay;

describe('DATE_ADD and DATE_DIFF', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    lake = makeTempFolder('dates');
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(lake);
  });

  async function values(selectList: readonly string[]): Promise<unknown[]> {
    const result = await engine.query(`SELECT ${selectList.map((e, i) => `${e} AS v${i}`).join(', ')}`);
    if (!result.ok) throw new Error(result.error.message);
    return selectList.map((_, i) => result.value.rows[0][`v${i}`]);
  }

  describe('the reference the engine is checked against', () => {
    it.each([
      ['month', 1, '2025-01-31 10:00:00.000', '2025-02-28 10:00:00.000'],
      ['month', 1, '2024-01-31 10:00:00.000', '2024-02-29 10:00:00.000'],
      ['quarter', -1, '2025-05-31 00:00:00.000', '2025-02-28 00:00:00.000'],
      ['year', 1, '2024-02-29 23:59:59.999', '2025-02-28 23:59:59.999'],
      ['year', 4, '2024-02-29 00:00:00.000', '2028-02-29 00:00:00.000'],
      ['week', 1, '2024-12-30 12:00:00.000', '2025-01-06 12:00:00.000'],
      ['millisecond', -1, '2025-01-01 00:00:00.000', '2024-12-31 23:59:59.999'],
    ] as const)('adds %s × %d to %s giving %s', (unit, amount, from, to) => {
      expect(timestampText(expectedDateAdd(unit, amount, utc(from)))).toBe(to);
    });

    it.each([
      ['month', '2025-01-31 00:00:00.000', '2025-02-28 00:00:00.000', 1],
      ['month', '2025-01-30 00:00:00.000', '2025-02-27 00:00:00.000', 0],
      ['month', '2025-01-31 12:00:00.000', '2025-02-28 11:00:00.000', 0],
      ['month', '2025-02-28 00:00:00.000', '2025-01-31 00:00:00.000', -1],
      ['quarter', '2025-01-31 00:00:00.000', '2025-04-30 00:00:00.000', 1],
      ['year', '2024-02-29 00:00:00.000', '2025-02-28 00:00:00.000', 1],
      ['year', '2023-03-01 00:00:00.000', '2024-02-29 00:00:00.000', 0],
      ['year', '2023-02-28 00:00:00.000', '2024-02-28 00:00:00.000', 1],
      ['day', '2025-01-01 23:00:00.000', '2025-01-02 22:59:59.999', 0],
      ['week', '2025-01-01 00:00:00.000', '2025-01-07 23:59:59.999', 0],
      ['week', '2025-01-08 00:00:00.000', '2025-01-01 00:00:00.000', -1],
    ] as const)('counts %s from %s to %s as %d', (unit, from, to, expected) => {
      expect(expectedDateDiff(unit, utc(from), utc(to))).toBe(expected);
    });
  });

  it.each(units)(
    "DATE_ADD('%s', n, timestamp) adds whole units, at month ends and leap days too",
    async (unit) => {
      const random = randomSource(unit.length * 7919);
      const cases = instants(random, 150).map((millis) => ({
        millis,
        amount: Math.floor(random() * 61) - 30,
      }));

      const answers = await values(
        cases.map(({ millis, amount }) => `DATE_ADD('${unit}', ${amount}, ${timestampLiteral(millis)})`),
      );

      expect(answers).toEqual(
        cases.map(({ millis, amount }) => timestampText(expectedDateAdd(unit, amount, millis))),
      );
    },
  );

  it.each(dateUnits)("DATE_ADD('%s', n, date) gives a date", async (unit) => {
    const random = randomSource(unit.length * 104729);
    const cases = instants(random, 150).map((millis) => ({
      millis: midnightOf(millis),
      amount: Math.floor(random() * 61) - 30,
    }));

    const answers = await values(
      cases.map(({ millis, amount }) => `DATE_ADD('${unit}', ${amount}, ${dateLiteral(millis)})`),
    );

    expect(answers).toEqual(
      cases.map(({ millis, amount }) => dateText(expectedDateAdd(unit, amount, millis))),
    );
  });

  it.each(units)("DATE_DIFF('%s', a, b) counts the whole units from a to b", async (unit) => {
    const random = randomSource(unit.length * 15485863);
    const starts = instants(random, 200);
    const pairs = starts.map((from, i) => {
      // Near pairs cross one unit boundary or none; far pairs cross many.
      const to =
        i % 2 === 0 ? from + Math.floor((random() - 0.5) * 3 * unitSpan(unit)) : instants(random, 1)[0];
      return { from, to };
    });

    const answers = await values(
      pairs.map(({ from, to }) => `DATE_DIFF('${unit}', ${timestampLiteral(from)}, ${timestampLiteral(to)})`),
    );

    expect(answers).toEqual(pairs.map(({ from, to }) => expectedDateDiff(unit, from, to)));
  });

  it.each(dateUnits)("DATE_DIFF('%s', a, b) on dates counts whole units", async (unit) => {
    const random = randomSource(unit.length * 32452843);
    const days = instants(random, 300).map(midnightOf);
    const pairs = days.slice(0, 150).map((from, i) => ({ from, to: days[150 + i] }));

    const answers = await values(
      pairs.map(({ from, to }) => `DATE_DIFF('${unit}', ${dateLiteral(from)}, ${dateLiteral(to)})`),
    );

    expect(answers).toEqual(pairs.map(({ from, to }) => expectedDateDiff(unit, from, to)));
  });

  it('counts a unit as the larger units it is made of: 1 week is 7 days, 1 year 12 months and 4 quarters', async () => {
    const from = utc('2024-02-29 06:00:00.000');
    const to = utc('2025-02-28 06:00:00.000');

    const answers = await values(
      ['week', 'day', 'month', 'quarter', 'year'].map(
        (unit) => `DATE_DIFF('${unit}', ${timestampLiteral(from)}, ${timestampLiteral(to)})`,
      ),
    );

    expect(answers).toEqual([52, 365, 12, 4, 1]);
  });
});

function unitSpan(unit: DateUnit): number {
  return unit in fixedUnits
    ? fixedUnits[unit as keyof typeof fixedUnits]
    : calendarUnits[unit as keyof typeof calendarUnits] * 30 * dayMillis;
}
