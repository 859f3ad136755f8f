import { ConfigSchema, logRetentionDaysSetting, sharedSettings } from '../src';

/** A small app's settings with every kind of setting, for the tests of the configuration machinery. */
export const demoSchema = new ConfigSchema({
  app: 'demo',
  settings: {
    ...sharedSettings,
    topicEnabled: {
      kind: 'switch',
      enables: 'topicArn',
      expected: 'true or false',
      example: 'true',
      question: 'Subscribe to the topic? (true/false)',
    },
    topicArn: {
      kind: 'text',
      pattern: /^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/,
      expected: 'the ARN of an SNS topic',
      example: 'arn:aws:sns:us-east-1:123456789012:events',
      question: 'ARN of the topic',
    },
    bufferSizeMiB: {
      kind: 'integer',
      default: 128,
      min: 64,
      max: 128,
      expected: 'a whole number of MiB from 64 to 128',
      example: '128',
      question: 'Buffer size in MiB (64-128)',
    },
    batchSizeMiB: {
      kind: 'number',
      default: 1,
      min: 0.2,
      max: 2,
      expected: 'a number of MiB from 0.2 to 2',
      example: '1',
      question: 'Batch size in MiB (0.2-2)',
    },
    verbose: {
      kind: 'boolean',
      default: false,
      expected: 'true or false',
      example: 'true',
      question: 'Log every request? (true/false)',
    },
    logRetentionDays: logRetentionDaysSetting,
  },
  rules: [
    {
      settings: ['verbose', 'batchSizeMiB'],
      valid: (config) => !config.verbose || config.batchSizeMiB <= 1.5,
      expected: 'a batchSizeMiB of at most 1.5 with verbose (each record of a batch is logged)',
      fix: 'set batchSizeMiB to 1.5 or less, or verbose to false',
    },
  ],
});
