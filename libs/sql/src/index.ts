export { openQueryEngine } from './query-engine';
export type { QueryColumn, QueryEngine, QueryResult } from './query-engine';
export { LakeDirectoryError, QueryEngineClosedError, SqlEngineError } from './errors';
export { sampleQueries } from './sample-queries';
export type { SampleQuery } from './sample-queries';
