/** Base of the errors `@engagement-db/sql` throws for programmer or configuration errors. */
export class SqlEngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqlEngineError';
  }
}

/** `openQueryEngine` was given options it cannot work with: a lake path that is no folder, or holds glob characters. */
export class QueryEngineOptionsError extends SqlEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryEngineOptionsError';
  }
}

/** A query was sent to an engine after `close()`. */
export class QueryEngineClosedError extends SqlEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueryEngineClosedError';
  }
}

/** An analytics view cannot be read from its file or created on the local engine. */
export class AnalyticsViewError extends SqlEngineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnalyticsViewError';
  }
}
