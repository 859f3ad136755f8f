export { openQueryEngine } from './query-engine';
export type { QueryColumn, QueryEngine, QueryResult } from './query-engine';
export { LakeDirectoryError, QueryEngineClosedError, SqlEngineError } from './errors';
