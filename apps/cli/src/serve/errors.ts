/** Base class of the errors `startFirehoseServer` throws for a wrong configuration. */
export class ServeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeError';
  }
}

/** An option of `startFirehoseServer` is out of range: the server cannot run as asked. */
export class ServeConfigurationError extends ServeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeConfigurationError';
  }
}

/**
 * The endpoint could not listen on the host and port asked for (port taken, address not local, no permission).
 */
export class ServeListenError extends ServeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeListenError';
  }
}
