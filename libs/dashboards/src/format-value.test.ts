import { type NumberFormat, formatValue, noValue } from './index';

const integer: NumberFormat = { kind: 'integer' };

describe('formatValue', () => {
  it.each<[unknown, NumberFormat, string]>([
    [1234567, integer, '1,234,567'],
    [1234.6, integer, '1,235'],
    ['12345678901', integer, '12,345,678,901'],
    [2.25, { kind: 'decimal', decimals: 2 }, '2.25'],
    [1234.5, { kind: 'decimal', decimals: 2 }, '1,234.50'],
    [0.95238, { kind: 'percent', decimals: 1 }, '95.2%'],
    [1, { kind: 'percent', decimals: 1 }, '100.0%'],
    [0, { kind: 'percent', decimals: 0 }, '0%'],
    [1234.5, { kind: 'currency', currency: 'USD', decimals: 2 }, '$1,234.50'],
    [0.0258, { kind: 'currency', currency: 'USD', decimals: 2 }, '$0.03'],
    [0.00947, { kind: 'currency', currency: 'USD', decimals: 5 }, '$0.00947'],
    [47.5, { kind: 'seconds', decimals: 1 }, '47.5 s'],
    [3725, { kind: 'seconds', decimals: 0 }, '3,725 s'],
  ])('shows %j as %j', (value, format, shown) => {
    expect(formatValue(value, format)).toBe(shown);
  });

  it.each([null, undefined, '', 'n/a', Number.NaN, Number.POSITIVE_INFINITY, {}, true])(
    'shows %j, which is no number, as no value',
    (value) => {
      expect(formatValue(value, integer)).toBe(noValue);
    },
  );
});
