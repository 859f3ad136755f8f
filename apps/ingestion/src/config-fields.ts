/** How a configuration value is written and checked. */
export interface ConfigField {
  readonly kind: 'integer' | 'number' | 'boolean' | 'text';
  /** The environment variable that sets it. */
  readonly env: string;
  /** What a valid value looks like, as the error message says it. */
  readonly expected: string;
  /** A valid value to show in a fix. */
  readonly example: string;
  readonly question: string;
  readonly min?: number;
  readonly max?: number;
  readonly allowed?: readonly number[];
  readonly pattern?: RegExp;
}

// CloudWatch Logs accepts only these retention periods.
const logRetentionPeriods = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Every setting of the ingestion app. Keys are the names in `config.json` and in CDK context
 * (`-c key=value`); each has its own environment variable.
 *
 * @example configFields.eventsBufferSizeMiB.env // 'ENGAGEMENT_DB_EVENTS_BUFFER_SIZE_MIB'
 */
export const configFields = {
  account: {
    kind: 'text',
    env: 'ENGAGEMENT_DB_ACCOUNT',
    pattern: /^\d{12}$/,
    expected: 'a 12-digit AWS account id',
    example: '123456789012',
    question: 'AWS account id to deploy to (empty: the account of your credentials)',
  },
  region: {
    kind: 'text',
    env: 'ENGAGEMENT_DB_REGION',
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    expected: 'an AWS region name such as us-east-1',
    example: 'us-east-1',
    question: 'AWS region to deploy to (empty: the region of your profile)',
  },
  namesPrefix: {
    kind: 'text',
    env: 'ENGAGEMENT_DB_NAMES_PREFIX',
    pattern: /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/,
    expected:
      '2 to 24 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    example: 'engagementdb',
    question: 'Prefix of the stream, Glue, configuration set and alarm names',
  },
  whatsappEnabled: {
    kind: 'boolean',
    env: 'ENGAGEMENT_DB_WHATSAPP_ENABLED',
    expected: 'true or false',
    example: 'true',
    question: 'Subscribe the events stream to your WhatsApp SNS topic? (true/false)',
  },
  whatsappTopicArn: {
    kind: 'text',
    env: 'ENGAGEMENT_DB_WHATSAPP_TOPIC_ARN',
    pattern: /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/,
    expected: 'the ARN of a standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>',
    example: 'arn:aws:sns:us-east-1:123456789012:whatsapp-events',
    question: 'ARN of the SNS topic your WhatsApp Business Account publishes to',
  },
  eventsBufferSizeMiB: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_EVENTS_BUFFER_SIZE_MIB',
    min: 64,
    max: 128,
    expected:
      'a whole number of MiB from 64 to 128 (Firehose needs at least 64 MiB when it partitions dynamically or writes Parquet)',
    example: '128',
    question: 'Events stream buffer size in MiB (64-128)',
  },
  eventsBufferIntervalSeconds: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_EVENTS_BUFFER_INTERVAL_SECONDS',
    min: 60,
    max: 900,
    expected: 'a whole number of seconds from 60 to 900',
    example: '300',
    question: 'Events stream buffer interval in seconds (60-900)',
  },
  conversationsBufferSizeMiB: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_CONVERSATIONS_BUFFER_SIZE_MIB',
    min: 64,
    max: 128,
    expected:
      'a whole number of MiB from 64 to 128 (Firehose needs at least 64 MiB when it partitions dynamically)',
    example: '64',
    question: 'Conversations stream buffer size in MiB (64-128)',
  },
  conversationsBufferIntervalSeconds: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_CONVERSATIONS_BUFFER_INTERVAL_SECONDS',
    min: 60,
    max: 900,
    expected: 'a whole number of seconds from 60 to 900',
    example: '300',
    question: 'Conversations stream buffer interval in seconds (60-900)',
  },
  transformerBufferSizeMiB: {
    kind: 'number',
    env: 'ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB',
    min: 0.2,
    // Firehose allows up to 3, but the rows (raw event included) are about 2.5 times the input and a
    // Lambda response may not exceed 6 MB.
    max: 2,
    expected:
      'a number of MiB from 0.2 to 2 (the rows are about 2.5 times the input, and a Lambda response may not exceed 6 MB)',
    example: '1',
    question: 'Size of the batches Firehose hands to the transformer Lambda, in MiB (0.2-2)',
  },
  transformerBufferIntervalSeconds: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_TRANSFORMER_BUFFER_INTERVAL_SECONDS',
    min: 60,
    max: 900,
    expected: 'a whole number of seconds from 60 to 900',
    example: '60',
    question: 'Longest wait before Firehose calls the transformer Lambda, in seconds (60-900)',
  },
  dataRetentionDays: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_DATA_RETENTION_DAYS',
    min: 0,
    max: 36500,
    expected: 'a whole number of days from 0 to 36500, 0 keeping events and conversations forever',
    example: '365',
    question: 'Days to keep events and conversations in S3 (0: forever)',
  },
  errorRetentionDays: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_ERROR_RETENTION_DAYS',
    min: 1,
    max: 3650,
    expected: 'a whole number of days from 1 to 3650',
    example: '30',
    question: 'Days to keep records Firehose could not process (errors/ prefix)',
  },
  accessLogRetentionDays: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_ACCESS_LOG_RETENTION_DAYS',
    min: 1,
    max: 3650,
    expected: 'a whole number of days from 1 to 3650',
    example: '90',
    question: 'Days to keep S3 access logs',
  },
  logRetentionDays: {
    kind: 'integer',
    env: 'ENGAGEMENT_DB_LOG_RETENTION_DAYS',
    allowed: logRetentionPeriods,
    expected: `one of the CloudWatch Logs retention periods: ${logRetentionPeriods.join(', ')} days`,
    example: '30',
    question: 'Days to keep the Lambda and Firehose CloudWatch logs',
  },
} as const satisfies Record<string, ConfigField>;

/** The name of a setting. */
export type ConfigKey = keyof typeof configFields;

/** Every setting name, in the order `configure` asks for them. */
export const configKeys = Object.keys(configFields) as ConfigKey[];

/**
 * The command-line flag of a setting, as `configure` takes it.
 *
 * @example flagOf('whatsappTopicArn') // 'whatsapp-topic-arn'
 */
export function flagOf(key: ConfigKey): string {
  return key.replace(/MiB$/, 'Mib').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
