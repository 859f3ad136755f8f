/**
 * The vocabulary of a dashboard described as data: datasets (one analytics view each), sheets, and on
 * each sheet filters, KPIs and charts and tables, every one reading one dataset with named measures and
 * dimensions. Nothing here knows how it is drawn: the QuickSight app compiles it to a QuickSight
 * dashboard definition, the local page to SQL (see `visualQuery`) and charts.
 */

/** The sheets of the engagement dashboard, one per channel. */
export const SheetId = {
  email: 'email',
  sms: 'sms',
  mms: 'mms',
  voice: 'voice',
  whatsapp: 'whatsapp',
} as const;
export type SheetId = (typeof SheetId)[keyof typeof SheetId];

/**
 * What one row of a dataset's view is, which decides the aggregations that mean something on it. A
 * `group` row (the `*_conversion_rates*` views) already holds counts and sums of many messages: add
 * them up (`sum`), and divide sums for a rate; counting such rows or averaging their values would weigh
 * a group of one message as much as a group of thousands.
 */
export const DatasetGrain = {
  /** One row per message (per email message and recipient). */
  message: 'message',
  /** One row per conversation. */
  conversation: 'conversation',
  /** One row per group of messages (day, country, campaign, ...), holding their counts and sums. */
  group: 'group',
} as const;
export type DatasetGrain = (typeof DatasetGrain)[keyof typeof DatasetGrain];

/** A dataset: one analytics view as the visuals read it. */
export interface Dataset {
  /** Stable kebab-case id, unique in the dashboard (`email-rates`); visuals and filters name it. */
  readonly id: string;
  /** The analytics view read, by its name in the Glue database (`email_conversion_rates_view`). */
  readonly view: string;
  /** What one row of the view is. */
  readonly grain: DatasetGrain;
}

/** How a measure combines the values of a field over the rows of a group (or of the whole dataset). */
export const Aggregation = {
  /** The total of a numeric field; SQL `sum(field)`. */
  sum: 'sum',
  /** The number of rows where the field is not NULL; SQL `count(field)`. */
  count: 'count',
  /** The number of different non-NULL values; SQL `count(DISTINCT field)`. */
  countDistinct: 'count-distinct',
  /** The mean of a numeric field over the rows where it is not NULL; SQL `avg(field)`. Never on `group` rows. */
  average: 'average',
} as const;
export type Aggregation = (typeof Aggregation)[keyof typeof Aggregation];

/** The kinds of measure. */
export const MeasureKind = {
  /** One field, aggregated. */
  aggregate: 'aggregate',
  /** The aggregated numerator divided by the aggregated denominator, over the same rows. */
  ratio: 'ratio',
} as const;
export type MeasureKind = (typeof MeasureKind)[keyof typeof MeasureKind];

/** The currencies amounts are shown in. */
export const Currency = { usd: 'USD' } as const;
export type Currency = (typeof Currency)[keyof typeof Currency];

/** The kinds of number format. */
export const NumberFormatKind = {
  integer: 'integer',
  decimal: 'decimal',
  percent: 'percent',
  currency: 'currency',
  seconds: 'seconds',
} as const;
export type NumberFormatKind = (typeof NumberFormatKind)[keyof typeof NumberFormatKind];

/**
 * How a number is shown to a person (the raw value is what queries give; see `formatValue`). Every
 * format groups thousands (`12,345`).
 */
export type NumberFormat =
  /** A whole number: `12,345`. */
  | { readonly kind: typeof NumberFormatKind.integer }
  /** A number with a fixed count of decimals: `2.25`. */
  | { readonly kind: typeof NumberFormatKind.decimal; readonly decimals: number }
  /** A fraction shown as a percentage: 0.9523 with 1 decimal is `95.2%`. */
  | { readonly kind: typeof NumberFormatKind.percent; readonly decimals: number }
  /** An amount of money: 1234.5 in USD with 2 decimals is `$1,234.50`. */
  | {
      readonly kind: typeof NumberFormatKind.currency;
      readonly currency: Currency;
      readonly decimals: number;
    }
  /** A duration in seconds: 47.5 with 1 decimal is `47.5 s`. */
  | { readonly kind: typeof NumberFormatKind.seconds; readonly decimals: number };

/** One field of a dataset, aggregated: the emails sent, the distinct recipients, the total cost. */
export interface AggregateMeasure {
  readonly kind: typeof MeasureKind.aggregate;
  /** Stable kebab-case id, unique in its visual: the name of the query's result column. */
  readonly id: string;
  /** What a person reads beside the value, in a legend or a column header. */
  readonly label: string;
  /** The view column aggregated. */
  readonly field: string;
  readonly aggregation: Aggregation;
  readonly format: NumberFormat;
}

/** The aggregations a part of a ratio may use: sums of counts, or counts of rows. */
export type RatioAggregation = typeof Aggregation.sum | typeof Aggregation.count;

/** The numerator or the denominator of a ratio. */
export interface RatioPart {
  /** The view column aggregated. */
  readonly field: string;
  readonly aggregation: RatioAggregation;
}

/**
 * A rate: `aggregation(numerator) / aggregation(denominator)` over the same rows, such as
 * `sum(total_deliveries) / sum(total_emails_sent)`. Rates over several groups are always computed so,
 * never as averages of the groups' own rates. No value (NULL) when the denominator is 0.
 */
export interface RatioMeasure {
  readonly kind: typeof MeasureKind.ratio;
  /** Stable kebab-case id, unique in its visual: the name of the query's result column. */
  readonly id: string;
  /** What a person reads beside the value, in a legend or a column header. */
  readonly label: string;
  readonly numerator: RatioPart;
  readonly denominator: RatioPart;
  readonly format: NumberFormat;
}

export type Measure = AggregateMeasure | RatioMeasure;

/** The time buckets a date or timestamp dimension is grouped by (UTC; weeks start on Monday). */
export const DateGranularity = {
  /** Only for timestamp columns. */
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
} as const;
export type DateGranularity = (typeof DateGranularity)[keyof typeof DateGranularity];

/** A field that splits the rows into groups: a category, a series, a table's grouping column. */
export interface Dimension {
  /** Stable kebab-case id, unique in its visual: the name of the query's result column. */
  readonly id: string;
  /** What a person reads on the axis or as the column header. */
  readonly label: string;
  /** The view column. */
  readonly field: string;
  /**
   * For a date or timestamp column, the bucket its values are grouped by: a day, week or month gives
   * a `date` (`2025-03-14`), an hour a `timestamp`. Absent for any other column.
   */
  readonly granularity?: DateGranularity;
}

/** The kinds of visual. */
export const VisualKind = {
  /** One number. */
  kpi: 'kpi',
  /** Measures over time: one line per measure, or per value of the series dimension. */
  line: 'line',
  /** Measures per category: one bar per category and measure, or per category and series value. */
  bar: 'bar',
  /** Rows grouped by the dimensions, one column per dimension and measure. */
  table: 'table',
} as const;
export type VisualKind = (typeof VisualKind)[keyof typeof VisualKind];

export const SortDirection = { ascending: 'ascending', descending: 'descending' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];

/** The order of a visual's rows. Ties are broken by the dimensions, in order, ascending; NULLs last. */
export interface Sort {
  /** The id of one of the visual's dimensions or measures. */
  readonly by: string;
  readonly direction: SortDirection;
}

/** How much of a sheet's width a chart or table takes. */
export const VisualWidth = { half: 'half', full: 'full' } as const;
export type VisualWidth = (typeof VisualWidth)[keyof typeof VisualWidth];

export const BarOrientation = {
  /** Bars go up from the category axis at the bottom: categories in order, such as days. */
  vertical: 'vertical',
  /** Bars go right from the category axis at the left: named categories, such as ISPs. */
  horizontal: 'horizontal',
} as const;
export type BarOrientation = (typeof BarOrientation)[keyof typeof BarOrientation];

/** What every visual has: an id, a title and the one dataset it reads. */
interface VisualBase {
  /**
   * Stable kebab-case id, unique on its sheet among KPIs, visuals and filters. Across the dashboard a
   * visual is `<sheet>.<id>` (`email.delivery-rate`).
   */
  readonly id: string;
  /** The heading a person reads. */
  readonly title: string;
  /** One sentence saying what the number or chart counts, for a tooltip or subtitle. */
  readonly description: string;
  /** The id of the dataset every field of the visual belongs to. */
  readonly dataset: string;
}

/** A key performance indicator: one number over the sheet's filtered rows. */
export interface Kpi extends VisualBase {
  readonly kind: typeof VisualKind.kpi;
  readonly measure: Measure;
}

/** Measures over time; rows come ordered by the category, then the series, ascending. */
export interface LineChart extends VisualBase {
  readonly kind: typeof VisualKind.line;
  /** The time axis: a date or timestamp dimension with a granularity. */
  readonly category: Dimension;
  /** Splits the one measure into a line per value of this dimension. */
  readonly series?: Dimension;
  /** The lines (exactly one when there is a series), all in one number format. */
  readonly measures: readonly Measure[];
  readonly width: VisualWidth;
}

/** Measures per category. */
export interface BarChart extends VisualBase {
  readonly kind: typeof VisualKind.bar;
  readonly category: Dimension;
  /** Splits the one measure into a bar (or a stacked segment) per value of this dimension. */
  readonly series?: Dimension;
  /** The bars of each category (exactly one when there is a series), all in one number format. */
  readonly measures: readonly Measure[];
  readonly orientation: BarOrientation;
  /** Series values stacked in one bar rather than side by side. */
  readonly stacked: boolean;
  readonly sort: Sort;
  /** Only the first categories in the sort order (not with a series). */
  readonly limit?: number;
  readonly width: VisualWidth;
}

/** Rows grouped by the dimensions, with the measures of each group. */
export interface Table extends VisualBase {
  readonly kind: typeof VisualKind.table;
  readonly dimensions: readonly Dimension[];
  readonly measures: readonly Measure[];
  readonly sort: Sort;
  /** Only the first rows in the sort order. */
  readonly limit?: number;
  readonly width: VisualWidth;
}

/** A chart or a table. */
export type Visual = LineChart | BarChart | Table;

/** The kinds of filter. */
export const FilterKind = {
  /** From one UTC day to another, both included. */
  dateRange: 'date-range',
  /** The rows whose column holds one of the chosen values. */
  values: 'values',
} as const;
export type FilterKind = (typeof FilterKind)[keyof typeof FilterKind];

/** The control a person sets a filter with. */
export const FilterControl = {
  /** Two dates, from and to; either may be left open. */
  dateRangePicker: 'date-range-picker',
  /** A list of the column's values (see `filterOptionsQuery`), any number of them chosen. */
  multiSelectDropdown: 'multi-select-dropdown',
} as const;
export type FilterControl = (typeof FilterControl)[keyof typeof FilterControl];

/**
 * For each dataset the sheet's visuals read (by dataset id, every one of them), the view column the
 * filter narrows, or `null` to say that the filter does not apply to that dataset (its view has no
 * such column), so its visuals are not narrowed by it.
 */
export type FilterColumns = Readonly<Record<string, string | null>>;

interface FilterBase {
  /** Stable kebab-case id, unique on its sheet among KPIs, visuals and filters; the key of its value. */
  readonly id: string;
  /** The control's label. */
  readonly label: string;
  readonly columns: FilterColumns;
}

/** A date range: the rows whose date (a `date` or `timestamp` column) falls on the chosen days. */
export interface DateRangeFilter extends FilterBase {
  readonly kind: typeof FilterKind.dateRange;
  readonly control: typeof FilterControl.dateRangePicker;
}

/** The rows whose column (a `varchar`) holds one of the chosen values; all rows when none is chosen. */
export interface ValuesFilter extends FilterBase {
  readonly kind: typeof FilterKind.values;
  readonly control: typeof FilterControl.multiSelectDropdown;
}

export type Filter = DateRangeFilter | ValuesFilter;

/** A page of the dashboard: its filters, the KPIs across its top, then its charts and tables. */
export interface Sheet {
  readonly id: SheetId;
  /** The tab's title. */
  readonly title: string;
  /** One sentence saying what the sheet shows. */
  readonly description: string;
  /** The filters, in the order their controls are shown; exactly one date range. */
  readonly filters: readonly Filter[];
  /** The KPIs, in the order they are shown. */
  readonly kpis: readonly Kpi[];
  /** The charts and tables, in the order they are laid out (left to right, then down). */
  readonly visuals: readonly Visual[];
}

/** A dashboard: the datasets it reads and its sheets. */
export interface Dashboard {
  /** Stable kebab-case id. */
  readonly id: string;
  readonly title: string;
  readonly datasets: readonly Dataset[];
  readonly sheets: readonly Sheet[];
}

/** A day or a day range as a person chooses it: UTC days `YYYY-MM-DD`, both included, either open. */
export interface DateRangeValue {
  readonly from?: string;
  readonly to?: string;
}

/** The value of one filter: a date range, or the values chosen (none chosen: every row). */
export type FilterValue = DateRangeValue | readonly string[];

/** The values chosen for a sheet's filters, by filter id; a filter left out narrows nothing. */
export type FilterSelection = Readonly<Record<string, FilterValue | undefined>>;
