import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { bundledTemplateSource } from './bundled-template-source';
import { TransformerConfigurationError } from './errors';
import { RecordStream } from './record-stream';
import { s3TemplateSource } from './s3-template-source';
import { type FirehoseTransformer, createTransformer } from './transformer';
import { transformerServiceName } from './transformer-metric';

/** The environment variables the Lambda handler reads, all optional. */
export const TransformerEnvironment = {
  /** The bucket to read `<prefix><name>.vm` templates from; the bundled templates only when unset. */
  templatesBucket: 'TEMPLATES_BUCKET',
  /** The key prefix of the templates in the bucket, e.g. `templates/`. */
  templatesPrefix: 'TEMPLATES_PREFIX',
  /** Seconds before the templates are read from S3 again; 300 by default. */
  templatesTtlSeconds: 'TEMPLATES_TTL_SECONDS',
  /** The folder of the bundled `.vm` files; `templates/` beside the handler by default. */
  bundledTemplatesDir: 'BUNDLED_TEMPLATES_DIR',
  /** The `accountId` written on every event row. */
  accountId: 'ACCOUNT_ID',
  /** `events` or `conversations`; taken from the delivery stream's name when unset. */
  recordStream: 'RECORD_STREAM',
} as const;
export type TransformerEnvironment = (typeof TransformerEnvironment)[keyof typeof TransformerEnvironment];

/**
 * Builds the transformer from environment variables (see {@link TransformerEnvironment}). With none
 * set it maps with the bundled templates and touches no AWS service.
 * Throws `TransformerConfigurationError` for a value it cannot use.
 *
 * @example
 * const transform = transformerFromEnvironment({ TEMPLATES_BUCKET: 'engagementdb-templates', ACCOUNT_ID: '123456789012' });
 */
export function transformerFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): FirehoseTransformer {
  const logger = new Logger({ serviceName: transformerServiceName });
  const bundled = bundledTemplateSource(nonEmpty(env[TransformerEnvironment.bundledTemplatesDir]));
  const bucket = nonEmpty(env[TransformerEnvironment.templatesBucket]);
  const templateSource =
    bucket === undefined
      ? bundled
      : s3TemplateSource({
          // A slow S3 must not hold the batch until the Lambda timeout: the last good set is used instead.
          client: new S3Client({
            maxAttempts: 2,
            requestHandler: { connectionTimeout: 2_000, requestTimeout: 5_000 },
          }),
          bucket,
          prefix: env[TransformerEnvironment.templatesPrefix] ?? '',
          ttlMs: ttlSecondsOf(env[TransformerEnvironment.templatesTtlSeconds]) * 1000,
          fallback: bundled,
          logger,
        });
  return createTransformer({
    templateSource,
    accountId: nonEmpty(env[TransformerEnvironment.accountId]),
    logger,
    stream: recordStreamOfSetting(env[TransformerEnvironment.recordStream]),
  });
}

let configured: FirehoseTransformer | undefined;

/**
 * The Lambda handler: the transformer configured from the environment on the first invocation.
 *
 * @example
 * // CDK: new NodejsFunction(this, 'Transformer', { entry: 'libs/firehose-transformer/src/lambda.ts', handler: 'handler' })
 */
export const handler: FirehoseTransformer = (event, context) => {
  configured ??= transformerFromEnvironment();
  return configured(event, context);
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function ttlSecondsOf(value: string | undefined): number {
  const text = nonEmpty(value);
  if (text === undefined) return 300;
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new TransformerConfigurationError(
      `${TransformerEnvironment.templatesTtlSeconds} is ${JSON.stringify(value)}; expected a number of seconds of 0 or more. ` +
        `Set it to e.g. 300, or unset it for the default of 300.`,
    );
  }
  return Number(text);
}

function recordStreamOfSetting(value: string | undefined): RecordStream | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const streams: readonly string[] = Object.values(RecordStream);
  if (!streams.includes(text)) {
    throw new TransformerConfigurationError(
      `${TransformerEnvironment.recordStream} is ${JSON.stringify(value)}; expected one of ${streams.join(', ')}. ` +
        `Set it to the table the delivery stream feeds, or unset it to take it from the stream's name.`,
    );
  }
  return text as RecordStream;
}
