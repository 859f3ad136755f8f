import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { type TableName, isTableName } from '@engagement-db/canonical-model';
import { bundledTemplateSource } from './bundled-template-source';
import { TransformerConfigurationError } from './errors';
import { s3TemplateSource } from './s3-template-source';
import { type FirehoseTransformer, createTransformer } from './transformer';
import { transformerServiceName } from './transformer-metric';

/**
 * The environment variables the Lambda handler reads, all optional: the contract between the
 * function and whatever deploys it.
 *
 * @example environment: { [TransformerEnvironment.templatesBucket]: bucket.bucketName, [TransformerEnvironment.table]: TableName.events }
 */
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
  /** The table the records are for, `events` or `conversations`; taken from the delivery stream's name when unset. */
  table: 'CANONICAL_TABLE',
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
    table: tableOfSetting(env),
  });
}

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

function tableOfSetting(env: Readonly<Record<string, string | undefined>>): TableName | undefined {
  // Functions deployed before the tables had one name each set RECORD_STREAM instead.
  const variable =
    env[TransformerEnvironment.table] === undefined ? 'RECORD_STREAM' : TransformerEnvironment.table;
  const text = nonEmpty(env[variable]);
  if (text === undefined) return undefined;
  if (!isTableName(text)) {
    throw new TransformerConfigurationError(
      `${variable} is ${JSON.stringify(env[variable])}; expected one of events, conversations. ` +
        `Set it to the table the delivery stream feeds, or unset it to take it from the stream's name.`,
    );
  }
  return text;
}
