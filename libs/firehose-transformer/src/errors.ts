/**
 * The base of every error the transformer throws. It throws only for configuration mistakes;
 * a bad record is never an exception but a `ProcessingFailed` result.
 *
 * @example
 * ```ts
 * try { transformerFromEnvironment({ TEMPLATES_TTL_SECONDS: 'soon' }); } catch (e) { if (e instanceof FirehoseTransformerError) console.error(e.message); }
 * ```
 */
export class FirehoseTransformerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FirehoseTransformerError';
  }
}

/** An environment variable or option holds a value the transformer cannot use. */
export class TransformerConfigurationError extends FirehoseTransformerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransformerConfigurationError';
  }
}

/** A template set could not be loaded at all, and no earlier good set exists to fall back to. */
export class TemplateUnavailableError extends FirehoseTransformerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateUnavailableError';
  }
}
