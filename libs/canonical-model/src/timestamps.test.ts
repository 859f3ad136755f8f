import { partitionHourOf, partitionPathOf, toEpochMillis } from './timestamps';

describe('toEpochMillis', () => {
  it.each([
    ['ISO with nanoseconds', '2025-01-08T23:30:43.271279391Z', 1736379043271],
    ['ISO with milliseconds', '2024-11-13T18:44:45.968Z', 1731523485968],
    ['ISO without fraction', '2024-11-13T18:44:45Z', 1731523485000],
    ['ISO with offset', '2024-11-13T20:44:45.968+02:00', 1731523485968],
    ['epoch milliseconds', 1731523485968, 1731523485968],
    ['epoch seconds', 1731523485, 1731523485000],
    ['epoch seconds as text', '1731523485', 1731523485000],
    ['epoch milliseconds as text', '1731523485968', 1731523485968],
  ])('converts %s', (_label, input, expected) => {
    expect(toEpochMillis(input)).toBe(expected);
  });

  it.each([['not a date'], [''], [null], [undefined], [{}], [-5], [Number.NaN], ['2024-13-45T99:00:00Z']])(
    'returns undefined for %p',
    (input) => {
      expect(toEpochMillis(input)).toBeUndefined();
    },
  );
});

describe('partitionPathOf', () => {
  it('uses the UTC hour of the timestamp', () => {
    expect(partitionPathOf(Date.UTC(2025, 0, 8, 23, 59, 59, 999))).toBe('2025/01/08/23');
    expect(partitionHourOf(Date.UTC(2024, 11, 31, 0, 0))).toEqual({
      year: '2024',
      month: '12',
      day: '31',
      hour: '00',
    });
  });
});
