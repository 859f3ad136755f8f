import { type NumberFormat, NumberFormatKind } from './dashboard-definition';

/** What is shown where a query gave no number (a sum over no rows, a ratio over a zero denominator). */
export const noValue = '–';

/**
 * A query's value as a person reads it, in US English: thousands grouped, the format's decimals,
 * percentages from fractions, amounts with their currency symbol, seconds with ` s`. A value that is
 * no finite number (NULL, text that is not a number) is {@link noValue}; whole numbers beyond 2^53
 * arrive as digit strings and are read as numbers.
 *
 * @example formatValue(0.95238, { kind: 'percent', decimals: 1 }) // '95.2%'
 * @example formatValue(1234.5, { kind: 'currency', currency: 'USD', decimals: 2 }) // '$1,234.50'
 */
export function formatValue(value: unknown, format: NumberFormat): string {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return noValue;
  const fixed = (decimals: number) => ({ minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  switch (format.kind) {
    case NumberFormatKind.integer:
      return new Intl.NumberFormat('en-US', fixed(0)).format(number);
    case NumberFormatKind.decimal:
      return new Intl.NumberFormat('en-US', fixed(format.decimals)).format(number);
    case NumberFormatKind.percent:
      return new Intl.NumberFormat('en-US', { style: 'percent', ...fixed(format.decimals) }).format(number);
    case NumberFormatKind.currency:
      return new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: format.currency,
        ...fixed(format.decimals),
      }).format(number);
    case NumberFormatKind.seconds:
      return `${new Intl.NumberFormat('en-US', fixed(format.decimals)).format(number)} s`;
  }
}
