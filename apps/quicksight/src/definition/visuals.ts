import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import {
  type BarChart,
  BarOrientation,
  type Kpi,
  type LineChart,
  type Measure,
  MeasureKind,
  SortDirection,
  type Table,
  type Visual,
  VisualKind,
} from '@engagement-db/dashboards';
import { fieldIdOf } from './quicksight-ids';
import type { DatasetFields } from './visual-fields';

/** A compiled visual and, for a table with a limit, the top-N filter that keeps its first rows. */
export interface CompiledVisual {
  readonly visual: CfnDashboard.VisualProperty;
  readonly topFilter?: CfnDashboard.TopBottomFilterProperty;
}

const directions = {
  [SortDirection.ascending]: 'ASC',
  [SortDirection.descending]: 'DESC',
} as const satisfies Record<SortDirection, string>;

function titleOf(text: string): CfnDashboard.VisualTitleLabelOptionsProperty {
  return { visibility: 'VISIBLE', formatText: { plainText: text } };
}

function subtitleOf(text: string): CfnDashboard.VisualSubtitleLabelOptionsProperty {
  return { visibility: 'VISIBLE', formatText: { plainText: text } };
}

/** Tooltips that name every field by its label, not its column. */
function tooltipOf(fields: readonly { id: string; label: string }[]): CfnDashboard.TooltipOptionsProperty {
  return {
    tooltipVisibility: 'VISIBLE',
    selectedTooltipType: 'DETAILED',
    fieldBasedTooltip: {
      aggregationVisibility: 'HIDDEN',
      tooltipTitleType: 'PRIMARY_VALUE',
      tooltipFields: fields.map(({ id, label }) => ({
        fieldTooltipItem: { fieldId: id, label, visibility: 'VISIBLE' },
      })),
    },
  };
}

/** An axis titled by the label of the one field it shows. */
function axisLabelOf(
  fields: DatasetFields,
  fieldId: string,
  columnName: string,
  label: string,
): CfnDashboard.ChartAxisLabelOptionsProperty {
  return {
    visibility: 'VISIBLE',
    axisLabelOptions: [{ customLabel: label, applyTo: { fieldId, column: fields.column(columnName) } }],
  };
}

/** The column a measure's field reads: its own, or for a ratio its calculated field's (named by the field). */
function measureColumnOf(field: CfnDashboard.MeasureFieldProperty): string {
  const entry = (field.numericalMeasureField ?? field.categoricalMeasureField ?? field.dateMeasureField) as {
    column: CfnDashboard.ColumnIdentifierProperty;
  };
  return entry.column.columnName;
}

/**
 * A KPI, chart or table of a sheet as a QuickSight visual reading one dataset: a KPI as a `KPIVisual`
 * with its one measure, a line chart as a `LineChartVisual` (category, series as colour, measures),
 * a bar chart as a `BarChartVisual` (orientation, stacked or clustered, sort and category limit), a
 * table as a `TableVisual` (group-by dimensions, measures, sort, column labels; a limit as a top-N
 * filter on its one dimension, or as the page size). Titles, descriptions as subtitles, axis labels and
 * tooltips carry the definition's words.
 *
 * @example compileVisual(kpi, 'email-delivery-rate', fields).visual.kpiVisual?.visualId // 'email-delivery-rate'
 */
export function compileVisual(visual: Kpi | Visual, visualId: string, fields: DatasetFields): CompiledVisual {
  const common = {
    visualId,
    title: titleOf(visual.title),
    subtitle: subtitleOf(visual.description),
  };
  const measureFieldId = (measure: Measure) => fieldIdOf(visualId, measure.id);
  if (visual.kind === VisualKind.kpi) {
    return {
      visual: {
        kpiVisual: {
          ...common,
          chartConfiguration: {
            fieldWells: { values: [fields.measure(visual.measure, measureFieldId(visual.measure))] },
            kpiOptions: { primaryValueDisplayType: 'ACTUAL' },
          },
        },
      },
    };
  }
  const measures = visual.measures.map((measure) => fields.measure(measure, measureFieldId(measure)));
  const labelled = [
    ...(visual.kind === VisualKind.table
      ? visual.dimensions
      : [visual.category, ...(visual.series ? [visual.series] : [])]),
    ...visual.measures,
  ].map((field) => ({ id: fieldIdOf(visualId, field.id), label: field.label }));
  switch (visual.kind) {
    case VisualKind.line:
      return {
        visual: {
          lineChartVisual: {
            ...common,
            chartConfiguration: lineConfigurationOf(visual, fields, measures, labelled, visualId),
          },
        },
      };
    case VisualKind.bar:
      return {
        visual: {
          barChartVisual: {
            ...common,
            chartConfiguration: barConfigurationOf(visual, fields, measures, labelled, visualId),
          },
        },
      };
    case VisualKind.table:
      return tableOf(visual, fields, measures, labelled, common);
  }
}

function lineConfigurationOf(
  line: LineChart,
  fields: DatasetFields,
  measures: CfnDashboard.MeasureFieldProperty[],
  labelled: { id: string; label: string }[],
  visualId: string,
): CfnDashboard.LineChartConfigurationProperty {
  const categoryId = fieldIdOf(visualId, line.category.id);
  const single = line.measures.length === 1 ? line.measures[0] : undefined;
  return {
    type: 'LINE',
    fieldWells: {
      lineChartAggregatedFieldWells: {
        category: [fields.dimension(line.category, categoryId)],
        colors: line.series ? [fields.dimension(line.series, fieldIdOf(visualId, line.series.id))] : [],
        values: measures,
      },
    },
    sortConfiguration: { categorySort: [{ fieldSort: { fieldId: categoryId, direction: 'ASC' } }] },
    xAxisLabelOptions: axisLabelOf(fields, categoryId, line.category.field, line.category.label),
    ...(single && {
      primaryYAxisLabelOptions: axisLabelOf(
        fields,
        fieldIdOf(visualId, single.id),
        measureColumnOf(measures[0]),
        single.label,
      ),
    }),
    legend: { visibility: line.series || line.measures.length > 1 ? 'VISIBLE' : 'HIDDEN' },
    tooltip: tooltipOf(labelled),
  };
}

function barConfigurationOf(
  bar: BarChart,
  fields: DatasetFields,
  measures: CfnDashboard.MeasureFieldProperty[],
  labelled: { id: string; label: string }[],
  visualId: string,
): CfnDashboard.BarChartConfigurationProperty {
  const categoryId = fieldIdOf(visualId, bar.category.id);
  const single = bar.measures.length === 1 ? bar.measures[0] : undefined;
  return {
    orientation: bar.orientation === BarOrientation.horizontal ? 'HORIZONTAL' : 'VERTICAL',
    barsArrangement: bar.stacked ? 'STACKED' : 'CLUSTERED',
    fieldWells: {
      barChartAggregatedFieldWells: {
        category: [fields.dimension(bar.category, categoryId)],
        colors: bar.series ? [fields.dimension(bar.series, fieldIdOf(visualId, bar.series.id))] : [],
        values: measures,
      },
    },
    sortConfiguration: {
      categorySort: [
        {
          fieldSort: { fieldId: fieldIdOf(visualId, bar.sort.by), direction: directions[bar.sort.direction] },
        },
      ],
      ...(bar.limit !== undefined && {
        categoryItemsLimit: { itemsLimit: bar.limit, otherCategories: 'EXCLUDE' },
      }),
    },
    categoryLabelOptions: axisLabelOf(fields, categoryId, bar.category.field, bar.category.label),
    ...(single && {
      valueLabelOptions: axisLabelOf(
        fields,
        fieldIdOf(visualId, single.id),
        measureColumnOf(measures[0]),
        single.label,
      ),
    }),
    legend: { visibility: bar.series || bar.measures.length > 1 ? 'VISIBLE' : 'HIDDEN' },
    tooltip: tooltipOf(labelled),
  };
}

function tableOf(
  table: Table,
  fields: DatasetFields,
  measures: CfnDashboard.MeasureFieldProperty[],
  labelled: { id: string; label: string }[],
  common: Pick<CfnDashboard.TableVisualProperty, 'visualId' | 'title' | 'subtitle'>,
): CompiledVisual {
  const visualId = common.visualId;
  const sortBy = fieldIdOf(visualId, table.sort.by);
  const ranking = table.measures.find((measure) => measure.id === table.sort.by);
  // "The first rows": a top-N filter on the one dimension by the sorted measure says exactly that;
  // otherwise the first page holds them.
  const topFilter =
    table.limit !== undefined && table.dimensions.length === 1 && ranking?.kind === MeasureKind.aggregate
      ? {
          filterId: `${visualId}-top`,
          column: fields.column(table.dimensions[0].field),
          limit: table.limit,
          aggregationSortConfigurations: [
            {
              column: fields.column(ranking.field),
              sortDirection: directions[table.sort.direction],
              aggregationFunction: fields.aggregationOf(ranking),
            },
          ],
        }
      : undefined;
  return {
    visual: {
      tableVisual: {
        ...common,
        chartConfiguration: {
          fieldWells: {
            tableAggregatedFieldWells: {
              groupBy: table.dimensions.map((dimension) =>
                fields.dimension(dimension, fieldIdOf(visualId, dimension.id)),
              ),
              values: measures,
            },
          },
          sortConfiguration: {
            rowSort: [{ fieldSort: { fieldId: sortBy, direction: directions[table.sort.direction] } }],
            ...(table.limit !== undefined &&
              !topFilter && { paginationConfiguration: { pageNumber: 1, pageSize: table.limit } }),
          },
          fieldOptions: {
            order: labelled.map((field) => field.id),
            selectedFieldOptions: labelled.map((field) => ({ fieldId: field.id, customLabel: field.label })),
          },
        },
      },
    },
    topFilter,
  };
}
