/**
 * The base of every error the ingestion app throws. It throws only for configuration and build
 * mistakes found before anything is deployed.
 *
 * @example
 * try { loadIngestionConfig({ projectDirectory }) } catch (e) { if (e instanceof IngestionAppError) console.error(e.message) }
 */
export class IngestionAppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestionAppError';
  }
}

/**
 * One or more configuration values (file, CDK context or environment) are wrong. The message has
 * one line per problem: what, where it came from, the value got, what was expected and how to fix it.
 *
 * @example new InvalidConfigurationError(['eventsBufferSizeMiB from CDK context is 10; expected ...'])
 */
export class InvalidConfigurationError extends IngestionAppError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`The ingestion configuration is invalid:\n- ${problems.join('\n- ')}`, options);
    this.name = 'InvalidConfigurationError';
    this.problems = problems;
  }
}

/**
 * The bundled transformer Lambda is missing: the app deploys a prebuilt bundle and never bundles at synth.
 *
 * @example new TransformerBundleMissingError('/repo/apps/ingestion/dist/transformer')
 */
export class TransformerBundleMissingError extends IngestionAppError {
  constructor(directory: string, options?: { cause?: unknown }) {
    super(
      `The transformer bundle ${directory}/index.js does not exist; expected the esbuild output of ` +
        `libs/firehose-transformer/src/lambda.ts with its templates/ folder. ` +
        `Fix: run \`npm run build\` in apps/ingestion (synth, deploy and test run it first).`,
      options,
    );
    this.name = 'TransformerBundleMissingError';
  }
}
