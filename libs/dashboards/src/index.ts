export {
  Aggregation,
  BarOrientation,
  Currency,
  DatasetGrain,
  DateGranularity,
  FilterControl,
  FilterKind,
  MeasureKind,
  NumberFormatKind,
  SheetId,
  SortDirection,
  VisualKind,
  VisualWidth,
} from './dashboard-definition';
export type {
  AggregateMeasure,
  BarChart,
  Dashboard,
  Dataset,
  DateRangeFilter,
  DateRangeValue,
  Dimension,
  Filter,
  FilterColumns,
  FilterSelection,
  FilterValue,
  Kpi,
  LineChart,
  Measure,
  NumberFormat,
  RatioAggregation,
  RatioMeasure,
  RatioPart,
  Sheet,
  Sort,
  Table,
  ValuesFilter,
  Visual,
} from './dashboard-definition';
export { engagementDashboard } from './engagement-dashboard';
export { checkDashboard, datasetsOf } from './check-dashboard';
export type { DashboardProblem, ViewColumns } from './check-dashboard';
export { DashboardQueryFailureKind, checkFilterSelection, filterValueLimits } from './filter-selection';
export type { DashboardQueryFailure } from './filter-selection';
export { filterOptionsLimit, filterOptionsQuery, visualQuery } from './visual-query';
export type { DashboardQuery, DashboardQueryResult } from './visual-query';
export { formatValue, noValue } from './format-value';
export { DashboardDefinitionError, DashboardError } from './errors';
