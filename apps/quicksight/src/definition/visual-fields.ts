import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import {
  type AggregateMeasure,
  Aggregation,
  DateGranularity,
  type Dimension,
  type Measure,
  MeasureKind,
  type RatioPart,
} from '@engagement-db/dashboards';
import { numericFormatOf } from './number-formats';
import { ColumnKind, type DatasetColumn, columnKindOf } from './view-columns';

/** QuickSight's aggregation of a numeric column, by the definition's aggregation. */
export const numericalAggregations = {
  [Aggregation.sum]: 'SUM',
  [Aggregation.count]: 'COUNT',
  [Aggregation.countDistinct]: 'DISTINCT_COUNT',
  [Aggregation.average]: 'AVERAGE',
} as const satisfies Record<Aggregation, string>;

/** QuickSight's calculated-field function of a ratio part's aggregation. */
const expressionFunctions = {
  [Aggregation.sum]: 'sum',
  [Aggregation.count]: 'count',
} as const satisfies Record<RatioPart['aggregation'], string>;

/** QuickSight's date granularity, by the definition's. */
const granularities = {
  [DateGranularity.hour]: 'HOUR',
  [DateGranularity.day]: 'DAY',
  [DateGranularity.week]: 'WEEK',
  [DateGranularity.month]: 'MONTH',
} as const satisfies Record<DateGranularity, string>;

const dateFormats = {
  [DateGranularity.hour]: 'YYYY-MM-DD HH:mm',
  [DateGranularity.day]: 'YYYY-MM-DD',
  [DateGranularity.week]: 'YYYY-MM-DD',
  [DateGranularity.month]: 'YYYY-MM',
} as const satisfies Record<DateGranularity, string>;

/**
 * The expression of a ratio's calculated field: the aggregated numerator divided by the aggregated
 * denominator over the same rows, NULL where the denominator is 0, as the library's SQL computes it.
 *
 * @example ratioExpressionOf({ field: 'total_deliveries', aggregation: 'sum' }, { field: 'total_emails_sent', aggregation: 'sum' })
 * // 'sum({total_deliveries}) / nullIf(sum({total_emails_sent}), 0)'
 */
export function ratioExpressionOf(numerator: RatioPart, denominator: RatioPart): string {
  const part = ({ field, aggregation }: RatioPart) => `${expressionFunctions[aggregation]}({${field}})`;
  return `${part(numerator)} / nullIf(${part(denominator)}, 0)`;
}

/**
 * The calculated fields of a definition: one per dataset and expression, named after the first
 * measure that needs it (its label, which QuickSight shows in legends and the field list), with the
 * dataset id added where two datasets compute one label differently.
 */
export class CalculatedFields {
  private readonly fields = new Map<string, CfnDashboard.CalculatedFieldProperty>();

  /** The name of the calculated field computing `expression` on the dataset; added on first use. */
  nameFor(datasetId: string, label: string, expression: string): string {
    const key = `${datasetId}\n${expression}`;
    const existing = this.fields.get(key);
    if (existing) return existing.name;
    const taken = [...this.fields.values()].some((field) => field.name === label);
    const name = taken ? `${label} (${datasetId})` : label;
    this.fields.set(key, { dataSetIdentifier: datasetId, name, expression });
    return name;
  }

  /** Every calculated field, in the order they were first used. */
  all(): CfnDashboard.CalculatedFieldProperty[] {
    return [...this.fields.values()];
  }
}

/** The fields of the visuals of one dataset: measures and dimensions over its columns. */
export class DatasetFields {
  constructor(
    readonly datasetId: string,
    private readonly columns: readonly DatasetColumn[],
    private readonly calculated: CalculatedFields,
  ) {}

  /** The column identifier of a column (or calculated field) of the dataset. */
  column(columnName: string): CfnDashboard.ColumnIdentifierProperty {
    return { dataSetIdentifier: this.datasetId, columnName };
  }

  /**
   * A measure as a field well entry: an aggregate over a number, text or date column as a numerical,
   * categorical or date measure with its aggregation; a ratio as its calculated field (already
   * aggregated, so without an aggregation of its own). Every one carries the measure's number format.
   */
  measure(measure: Measure, fieldId: string): CfnDashboard.MeasureFieldProperty {
    const format = numericFormatOf(measure.format);
    if (measure.kind === MeasureKind.ratio) {
      const name = this.calculated.nameFor(
        this.datasetId,
        measure.label,
        ratioExpressionOf(measure.numerator, measure.denominator),
      );
      return {
        numericalMeasureField: {
          fieldId,
          column: this.column(name),
          formatConfiguration: { formatConfiguration: format },
        },
      };
    }
    const column = this.column(measure.field);
    switch (this.kindOf(measure.field)) {
      case ColumnKind.number:
        return {
          numericalMeasureField: {
            fieldId,
            column,
            aggregationFunction: { simpleNumericalAggregation: numericalAggregations[measure.aggregation] },
            formatConfiguration: { formatConfiguration: format },
          },
        };
      case ColumnKind.text:
        return {
          categoricalMeasureField: {
            fieldId,
            column,
            aggregationFunction: numericalAggregations[measure.aggregation],
            formatConfiguration: { numericFormatConfiguration: format },
          },
        };
      default:
        return {
          dateMeasureField: {
            fieldId,
            column,
            aggregationFunction: numericalAggregations[measure.aggregation],
            formatConfiguration: { numericFormatConfiguration: format },
          },
        };
    }
  }

  /** How a top-N filter ranks by an aggregate measure. */
  aggregationOf(measure: AggregateMeasure): CfnDashboard.AggregationFunctionProperty {
    const aggregation = numericalAggregations[measure.aggregation];
    switch (this.kindOf(measure.field)) {
      case ColumnKind.number:
        return { numericalAggregationFunction: { simpleNumericalAggregation: aggregation } };
      case ColumnKind.text:
        return { categoricalAggregationFunction: aggregation };
      default:
        return { dateAggregationFunction: aggregation };
    }
  }

  /**
   * A dimension as a field well entry: a date or timestamp bucketed by its granularity (a date without
   * one by day), text as a category, a whole number as a numerical dimension.
   */
  dimension(dimension: Dimension, fieldId: string): CfnDashboard.DimensionFieldProperty {
    const column = this.column(dimension.field);
    const kind = this.kindOf(dimension.field);
    if (dimension.granularity !== undefined || kind === ColumnKind.time) {
      const granularity = dimension.granularity ?? DateGranularity.day;
      return {
        dateDimensionField: {
          fieldId,
          column,
          dateGranularity: granularities[granularity],
          formatConfiguration: { dateTimeFormat: dateFormats[granularity] },
        },
      };
    }
    if (kind === ColumnKind.number) return { numericalDimensionField: { fieldId, column } };
    return { categoricalDimensionField: { fieldId, column } };
  }

  private kindOf(field: string): ColumnKind {
    const column = this.columns.find((candidate) => candidate.name === field);
    return column ? columnKindOf(column.type) : ColumnKind.other;
  }
}
