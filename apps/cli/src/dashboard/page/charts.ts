// Apache ECharts, only what the dashboard draws: line and bar charts on a grid with tooltips and legends,
// rendered as SVG (crisp at any zoom, text selectable, no canvas), so the bundle carries no other chart type.
import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, getInstanceByDom, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import {
  type BarChart as BarVisual,
  BarOrientation,
  DateGranularity,
  type Dimension,
  type LineChart as LineVisual,
  type Measure,
  type NumberFormat,
  NumberFormatKind,
  formatValue,
} from '@engagement-db/dashboards';

use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, SVGRenderer]);

type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** The palette of every chart: distinct hues that stay apart for people with red-green colour blindness. */
export const palette = [
  '#2563eb',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
];

// The page's own font, named (not 'inherit'): ECharts measures text with it to lay labels out.
const fontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** What a dimension value without a value (NULL) is called on an axis or in a legend. */
export const noneLabel = '(none)';

/**
 * Draws a chart into `container` (over what was drawn there before) and resolves once it is on the screen. No
 * animation: the page is ready when every chart resolved, and a refresh redraws without movement.
 */
export function drawChart(
  container: HTMLElement,
  visual: LineVisual | BarVisual,
  rows: readonly Record<string, unknown>[],
): Promise<ECharts> {
  const chart = getInstanceByDom(container) ?? init(container, undefined, { renderer: 'svg' });
  const finished = new Promise<ECharts>((resolve) => {
    const done = (): void => {
      chart.off('finished', done);
      resolve(chart);
    };
    chart.on('finished', done);
  });
  chart.setOption(visual.kind === 'line' ? lineOption(visual, rows) : barOption(visual, rows), true);
  return finished;
}

function baseOption(visual: LineVisual | BarVisual, format: NumberFormat, legend: boolean): ChartOption {
  return {
    animation: false,
    color: palette,
    textStyle: { fontFamily, color: '#475569' },
    // Axis labels and names are kept inside the chart, moved clear of each other.
    grid: {
      left: 4,
      right: 16,
      top: legend ? 40 : 16,
      bottom: 4,
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
    legend: { show: legend, top: 0, type: 'scroll', icon: 'roundRect', itemWidth: 12, itemHeight: 12 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: visual.kind === 'line' ? 'line' : 'shadow' },
      valueFormatter: (value) => formatValue(value, format),
      confine: true,
    },
  };
}

function lineOption(visual: LineVisual, rows: readonly Record<string, unknown>[]): ChartOption {
  const format = visual.measures[0].format;
  const series = seriesOf(rows, visual.category, visual.series, visual.measures);
  const points = new Set(rows.map((row) => String(row[visual.category.id]))).size;
  return {
    ...baseOption(visual, format, series.length > 1),
    xAxis: {
      type: 'time',
      name: visual.category.label,
      nameLocation: 'middle',
      nameGap: 8,
      axisLabel: { hideOverlap: true, formatter: '{MMM} {d}' },
    },
    yAxis: valueAxis(visual.measures, format),
    series: series.map((item): LineSeriesOption => ({
      type: 'line',
      name: item.name,
      data: item.points,
      showSymbol: points <= 31,
      symbolSize: 5,
      lineStyle: { width: 2 },
    })),
  };
}

function barOption(visual: BarVisual, rows: readonly Record<string, unknown>[]): ChartOption {
  const format = visual.measures[0].format;
  const categories = [...new Set(rows.map((row) => labelOf(row[visual.category.id])))];
  const dayLabel = visual.category.granularity === undefined ? undefined : dateLabelOf(visual.category);
  const series = seriesOf(rows, visual.category, visual.series, visual.measures);
  const horizontal = visual.orientation === BarOrientation.horizontal;
  const categoryAxis = {
    type: 'category' as const,
    data: categories,
    name: visual.category.label,
    nameLocation: 'middle' as const,
    nameGap: 8,
    // The first category (in the sort order) on top of a horizontal chart.
    inverse: horizontal,
    axisLabel: {
      hideOverlap: !horizontal,
      width: horizontal ? 150 : 90,
      overflow: 'truncate' as const,
      ...(dayLabel ? { formatter: dayLabel } : {}),
    },
  };
  const valueAxisOption = valueAxis(visual.measures, format);
  return {
    ...baseOption(visual, format, series.length > 1),
    xAxis: horizontal ? valueAxisOption : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxisOption,
    series: series.map((item): BarSeriesOption => ({
      type: 'bar',
      name: item.name,
      stack: visual.stacked ? 'stack' : undefined,
      barMaxWidth: 28,
      data: categories.map((category) => item.byCategory.get(category) ?? null),
    })),
  };
}

function valueAxis(measures: readonly Measure[], format: NumberFormat) {
  const tick: NumberFormat = format.kind === NumberFormatKind.integer ? format : { ...format, decimals: 0 };
  return {
    type: 'value' as const,
    name: measures.length === 1 ? measures[0].label : axisNameOf(format),
    nameLocation: 'middle' as const,
    nameGap: 8,
    axisLabel: {
      formatter: (value: number) =>
        format.kind === NumberFormatKind.currency && Math.abs(value) < 10
          ? formatValue(value, format)
          : formatValue(value, tick),
    },
    splitLine: { lineStyle: { color: '#e5e7eb' } },
  };
}

function axisNameOf(format: NumberFormat): string {
  switch (format.kind) {
    case NumberFormatKind.percent:
      return 'Rate';
    case NumberFormatKind.currency:
      return `Amount (${format.currency})`;
    case NumberFormatKind.seconds:
      return 'Seconds';
    default:
      return 'Count';
  }
}

interface ChartSeries {
  readonly name: string;
  /** `[category, value]` pairs, for a time axis. */
  readonly points: [string, number | null][];
  /** The value of each category label, for a category axis. */
  readonly byCategory: Map<string, number | null>;
}

/** One series per measure, or with a series dimension one per value of it (of the one measure). */
function seriesOf(
  rows: readonly Record<string, unknown>[],
  category: Dimension,
  split: Dimension | undefined,
  measures: readonly Measure[],
): ChartSeries[] {
  const series = new Map<string, ChartSeries>();
  const seriesNamed = (name: string): ChartSeries => {
    let item = series.get(name);
    if (!item) {
      item = { name, points: [], byCategory: new Map() };
      series.set(name, item);
    }
    return item;
  };
  // Every measure has its series (and legend entry), also over no rows.
  if (!split) for (const measure of measures) seriesNamed(measure.label);
  for (const row of rows) {
    for (const measure of split ? measures.slice(0, 1) : measures) {
      const item = seriesNamed(split ? labelOf(row[split.id]) : measure.label);
      const value = numberOf(row[measure.id]);
      item.points.push([String(row[category.id]), value]);
      item.byCategory.set(labelOf(row[category.id]), value);
    }
  }
  return [...series.values()];
}

/** How a date category reads on an axis: `Nov 15`, or `Nov 2026` for months. */
function dateLabelOf(dimension: Dimension): (value: string) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'short',
    ...(dimension.granularity === DateGranularity.month ? { year: 'numeric' } : { day: 'numeric' }),
  });
  return (value) => {
    const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
    return Number.isNaN(day.getTime()) ? value : format.format(day);
  };
}

/** A query's value as a number for a chart: NULL (and anything not a number) is a gap. */
export function numberOf(value: unknown): number | null {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** A dimension value as a label: NULL is {@link noneLabel}. */
export function labelOf(value: unknown): string {
  return value === null || value === undefined ? noneLabel : String(value);
}
