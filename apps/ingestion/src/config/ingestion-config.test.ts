import { configurationProblemsOf } from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testProjectDirectory } from '../../test/test-stack';
import { ingestionConfigSchema } from './ingestion-config';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:whatsapp-events';

afterAll(() => {
  removeTestOutdirs();
});

function load(
  file?: Record<string, unknown>,
  env: Record<string, string> = {},
  context: Record<string, unknown> = {},
) {
  return ingestionConfigSchema.load({
    projectDirectory: testProjectDirectory(file),
    env,
    context: (key) => context[key],
  });
}

describe('ingestionConfigSchema', () => {
  it('defaults to the canonical names, the constructs’ buffers and retentions, and no WhatsApp', () => {
    expect(load()).toEqual({
      account: undefined,
      region: undefined,
      namesPrefix: 'engagementdb',
      whatsappEnabled: false,
      whatsappTopicArn: undefined,
      eventsBufferSizeMiB: 128,
      eventsBufferIntervalSeconds: 300,
      conversationsBufferSizeMiB: 64,
      conversationsBufferIntervalSeconds: 300,
      transformerBufferSizeMiB: 1,
      transformerBufferIntervalSeconds: 60,
      dataRetentionDays: 0,
      errorRetentionDays: 30,
      accessLogRetentionDays: 90,
      logRetentionDays: 30,
    });
  });

  it.each([
    ['a WhatsApp topic turns WhatsApp on', { whatsappTopicArn: topicArn }, true],
    ['an explicit false wins over a topic', { whatsappTopicArn: topicArn, whatsappEnabled: false }, false],
  ])('decides WhatsApp: %s', (_case, file, expected) => {
    expect(load(file).whatsappEnabled).toBe(expected);
  });

  it.each([
    [
      'a buffer below the Firehose minimum in context',
      {},
      { eventsBufferSizeMiB: '10' },
      'eventsBufferSizeMiB from CDK context is "10"; expected a whole number of MiB from 64 to 128 (Firehose needs at ' +
        'least 64 MiB when it partitions dynamically or writes Parquet). Fix: pass -c eventsBufferSizeMiB=128, or remove it from the context.',
    ],
    [
      'a conversations buffer below the Firehose minimum',
      {},
      { conversationsBufferSizeMiB: 32 },
      'conversationsBufferSizeMiB from CDK context is 32; expected a whole number of MiB from 64 to 128 (Firehose needs at ' +
        'least 64 MiB when it partitions dynamically or writes Parquet). Fix: pass -c conversationsBufferSizeMiB=64, or remove it from the context.',
    ],
    [
      'a transformer buffer above the Lambda limit in the environment',
      { ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB: '6' },
      {},
      'ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB from the environment is "6"; expected a number of MiB from 0.2 to 2 ' +
        '(the rows are about 2.5 times the input, and a Lambda response may not exceed 6 MB). ' +
        'Fix: set ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB=1, or unset it.',
    ],
    [
      'a negative data retention',
      { ENGAGEMENT_DB_DATA_RETENTION_DAYS: '-1' },
      {},
      'ENGAGEMENT_DB_DATA_RETENTION_DAYS from the environment is "-1"; expected a whole number of days from 0 to 36500, ' +
        '0 keeping events and conversations forever. Fix: set ENGAGEMENT_DB_DATA_RETENTION_DAYS=365, or unset it.',
    ],
    [
      'an ARN of another service',
      {},
      { whatsappTopicArn: 'arn:aws:sqs:us-east-1:123456789012:queue' },
      'whatsappTopicArn from CDK context is "arn:aws:sqs:us-east-1:123456789012:queue"; expected the ARN of a standard ' +
        'SNS topic, arn:aws:sns:<region>:<account>:<topic name>. Fix: pass -c whatsappTopicArn=arn:aws:sns:us-east-1:123456789012:whatsapp-events, or remove it from the context.',
    ],
    [
      'WhatsApp turned on without a topic',
      { ENGAGEMENT_DB_WHATSAPP_ENABLED: 'true' },
      {},
      'ENGAGEMENT_DB_WHATSAPP_ENABLED from the environment is true but whatsappTopicArn is not set; expected the ARN of a ' +
        'standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>. Fix: set whatsappTopicArn ' +
        '(npm run configure -w apps/ingestion -- --whatsapp-topic-arn arn:aws:sns:us-east-1:123456789012:whatsapp-events), ' +
        'or set whatsappEnabled to false.',
    ],
  ])(
    'reports %s with what, where, the value, the expectation and the fix',
    (_case, env, context, message) => {
      expect(configurationProblemsOf(() => load(undefined, env, context))).toEqual([message]);
    },
  );

  it('names the ingestion app and its settings for a key that is no setting', () => {
    // Act
    const problems = configurationProblemsOf(() => load({ whatsappTopic: topicArn }));

    // Assert
    expect(problems).toEqual([
      expect.stringMatching(
        /^"whatsappTopic" from .*config\.json is no setting of the ingestion app; expected one of account, region, namesPrefix, whatsappEnabled, whatsappTopicArn, eventsBufferSizeMiB, /,
      ),
    ]);
  });
});
