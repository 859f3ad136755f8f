export { QueryFailureKind, openQueryEngine } from './query-engine';
export type { QueryAnswer, QueryColumn, QueryEngine, QueryFailure, QueryResult } from './query-engine';
export { checkLakePath, lakePathPatternCharacters } from './lake-path';
export type { LakePathCheck } from './lake-path';
export { QueryEngineClosedError, QueryEngineOptionsError, SqlEngineError } from './errors';
export { sampleQueries } from './sample-queries';
export type { SampleQuery } from './sample-queries';
