/**
 * The base of every error a CDK app of engagement-db throws before anything is deployed: a wrong
 * setting, a wrong construct prop, a missing build output. `runCdkApp` prints its message alone,
 * without a stack trace, because the message already says what to do.
 *
 * @example
 * class BundleMissingError extends CdkAppError {}
 */
export class CdkAppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CdkAppError';
  }
}

/**
 * One or more configuration values (config.json, `ENGAGEMENT_DB_*` variables, CDK context or
 * `configure` flags) are wrong. The message has one line per problem: what, where it came from,
 * the value got, what was expected and how to fix it.
 *
 * @example new InvalidConfigurationError('ingestion', ['eventsBufferSizeMiB from CDK context is 10; expected ...'])
 */
export class InvalidConfigurationError extends CdkAppError {
  readonly problems: readonly string[];

  constructor(app: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`The ${app} configuration is invalid:\n- ${problems.join('\n- ')}`, options);
    this.name = 'InvalidConfigurationError';
    this.problems = problems;
  }
}

/**
 * A construct was given props it cannot build from. The message names the construct and its path,
 * then one line per prop: the value got, what was expected and how to fix it.
 *
 * @example new InvalidPropsError('EventsDeliveryStream at Ingestion/EventsStream', ['bufferSizeMiB is 10; ...'])
 */
export class InvalidPropsError extends CdkAppError {
  readonly problems: readonly string[];

  constructor(where: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`Invalid props for ${where}:\n- ${problems.join('\n- ')}`, options);
    this.name = 'InvalidPropsError';
    this.problems = problems;
  }
}
