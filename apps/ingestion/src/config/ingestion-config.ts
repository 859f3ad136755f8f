import { type ConfigOf, ConfigSchema, logRetentionDaysSetting, sharedSettings } from '@engagement-db/cdk-kit';
import { conversationsStreamDefaults } from '../constructs/conversations-delivery-stream';
import { bucketRetentionDefaults, bucketRetentionRules } from '../constructs/engagement-buckets';
import { deliveryBufferRules } from '../constructs/engagement-delivery-stream';
import { eventsStreamDefaults, transformerBufferRules } from '../constructs/events-delivery-stream';

/**
 * Every setting of the ingestion app, defined once: the `IngestionConfig` type, the defaults, the
 * checks with their messages, the `ENGAGEMENT_DB_*` variables and the `configure` flags and
 * questions come from here. The limits are the constructs' own rules.
 *
 * @example ingestionConfigSchema.defaults.eventsBufferSizeMiB // 128
 */
export const ingestionConfigSchema = new ConfigSchema({
  app: 'ingestion',
  settings: {
    ...sharedSettings,
    whatsappEnabled: {
      kind: 'switch',
      enables: 'whatsappTopicArn',
      expected: 'true or false',
      example: 'true',
      question: 'Subscribe the events stream to your WhatsApp SNS topic? (true/false)',
    },
    whatsappTopicArn: {
      kind: 'text',
      pattern: /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}$/,
      expected: 'the ARN of a standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>',
      example: 'arn:aws:sns:us-east-1:123456789012:whatsapp-events',
      question: 'ARN of the SNS topic your WhatsApp Business Account publishes to',
    },
    eventsBufferSizeMiB: {
      ...deliveryBufferRules.sizeMiB,
      default: eventsStreamDefaults.bufferSizeMiB,
      example: '128',
      question: 'Events stream buffer size in MiB (64-128)',
    },
    eventsBufferIntervalSeconds: {
      ...deliveryBufferRules.intervalSeconds,
      default: eventsStreamDefaults.bufferIntervalSeconds,
      example: '300',
      question: 'Events stream buffer interval in seconds (60-900)',
    },
    conversationsBufferSizeMiB: {
      ...deliveryBufferRules.sizeMiB,
      default: conversationsStreamDefaults.bufferSizeMiB,
      example: '64',
      question: 'Conversations stream buffer size in MiB (64-128)',
    },
    conversationsBufferIntervalSeconds: {
      ...deliveryBufferRules.intervalSeconds,
      default: conversationsStreamDefaults.bufferIntervalSeconds,
      example: '300',
      question: 'Conversations stream buffer interval in seconds (60-900)',
    },
    transformerBufferSizeMiB: {
      ...transformerBufferRules.sizeMiB,
      default: eventsStreamDefaults.transformerBufferSizeMiB,
      example: '1',
      question: 'Size of the batches Firehose hands to the transformer Lambda, in MiB (0.2-2)',
    },
    transformerBufferIntervalSeconds: {
      ...transformerBufferRules.intervalSeconds,
      default: eventsStreamDefaults.transformerBufferIntervalSeconds,
      example: '60',
      question: 'Longest wait before Firehose calls the transformer Lambda, in seconds (60-900)',
    },
    dataRetentionDays: {
      ...bucketRetentionRules.dataRetentionDays,
      default: bucketRetentionDefaults.dataRetentionDays,
      example: '365',
      question: 'Days to keep events and conversations in S3 (0: forever)',
    },
    errorRetentionDays: {
      ...bucketRetentionRules.errorRetentionDays,
      default: bucketRetentionDefaults.errorRetentionDays,
      example: '30',
      question: 'Days to keep records Firehose could not process (errors/ prefix)',
    },
    accessLogRetentionDays: {
      ...bucketRetentionRules.accessLogRetentionDays,
      default: bucketRetentionDefaults.accessLogRetentionDays,
      example: '90',
      question: 'Days to keep S3 access logs',
    },
    logRetentionDays: logRetentionDaysSetting,
  },
});

/** The checked settings of one deployment of the ingestion stack. */
export type IngestionConfig = ConfigOf<typeof ingestionConfigSchema>;
