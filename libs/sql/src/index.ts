export { QueryFailureKind, checkQueryLimits, defaultQueryLimits, openQueryEngine } from './query-engine';
export type {
  DataFileSource,
  QueryAnswer,
  QueryColumn,
  QueryEngine,
  QueryEngineOptions,
  QueryFailure,
  QueryLimits,
  QueryParameter,
  QueryResult,
} from './query-engine';
export { checkLakePath, lakePathPatternCharacters } from './lake-path';
export type { LakePathCheck } from './lake-path';
export {
  AnalyticsViewError,
  QueryEngineClosedError,
  QueryEngineOptionsError,
  SqlEngineError,
} from './errors';
export { sampleQueries } from './sample-queries';
export type { SampleQuery } from './sample-queries';
export { analyticsViews, createViewStatement } from './analytics-views';
export type { AnalyticsView, AnalyticsViewColumn } from './analytics-views';
