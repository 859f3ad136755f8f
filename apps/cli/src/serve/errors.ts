/** Base class of the errors `startFirehoseServer` throws for a wrong configuration. */
export class ServeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeError';
  }
}

/**
 * An option of `startFirehoseServer` is out of range: the server cannot run as asked.
 *
 * @example new ServeConfigurationError('bufferBytes is 0; expected a whole number of bytes ≥ 1; pass e.g. 5 MiB')
 */
export class ServeConfigurationError extends ServeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeConfigurationError';
  }
}

/**
 * The endpoint could not listen on the host and port asked for (port taken, address not local, no permission).
 *
 * @example new ServeListenError('cannot listen on 127.0.0.1:4573: EADDRINUSE; pass another --port or stop the other server')
 */
export class ServeListenError extends ServeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeListenError';
  }
}
