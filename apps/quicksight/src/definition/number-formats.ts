import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { type NumberFormat, NumberFormatKind, noValue } from '@engagement-db/dashboards';

// Every format groups thousands with a comma and shows NULL as the library's no-value sign, as formatValue does.
const separators: CfnDashboard.NumericSeparatorConfigurationProperty = {
  decimalSeparator: 'DOT',
  thousandsSeparator: { symbol: 'COMMA', visibility: 'VISIBLE' },
};
const nullValue: CfnDashboard.NullValueFormatConfigurationProperty = { nullString: noValue };

/**
 * The QuickSight number format of a definition's format: integers and decimals as numbers with their
 * decimals, percentages from fractions (0.952 with 1 decimal shows 95.2%), currency with its symbol
 * and decimals, seconds with an ` s` suffix.
 *
 * @example numericFormatOf({ kind: 'percent', decimals: 1 }).percentageDisplayFormatConfiguration?.decimalPlacesConfiguration // { decimalPlaces: 1 }
 */
export function numericFormatOf(format: NumberFormat): CfnDashboard.NumericFormatConfigurationProperty {
  const common = {
    separatorConfiguration: separators,
    nullValueFormatConfiguration: nullValue,
  };
  switch (format.kind) {
    case NumberFormatKind.integer:
      return {
        numberDisplayFormatConfiguration: {
          ...common,
          decimalPlacesConfiguration: { decimalPlaces: 0 },
          numberScale: 'NONE',
        },
      };
    case NumberFormatKind.decimal:
      return {
        numberDisplayFormatConfiguration: {
          ...common,
          decimalPlacesConfiguration: { decimalPlaces: format.decimals },
          numberScale: 'NONE',
        },
      };
    case NumberFormatKind.seconds:
      return {
        numberDisplayFormatConfiguration: {
          ...common,
          decimalPlacesConfiguration: { decimalPlaces: format.decimals },
          numberScale: 'NONE',
          suffix: ' s',
        },
      };
    case NumberFormatKind.percent:
      return {
        percentageDisplayFormatConfiguration: {
          ...common,
          decimalPlacesConfiguration: { decimalPlaces: format.decimals },
        },
      };
    case NumberFormatKind.currency:
      return {
        currencyDisplayFormatConfiguration: {
          ...common,
          symbol: format.currency,
          decimalPlacesConfiguration: { decimalPlaces: format.decimals },
          numberScale: 'NONE',
        },
      };
  }
}
