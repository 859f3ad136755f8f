import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { catalogIn, emptyStack, eventsStreamIn, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { ConversationsDeliveryStream } from './conversations-delivery-stream';
import type { EngagementDeliveryStream } from './engagement-delivery-stream';

afterAll(() => {
  removeTestOutdirs();
});

const streams: [string, (stack: Stack, bufferSizeMiB?: number) => EngagementDeliveryStream][] = [
  ['EventsDeliveryStream', (stack, bufferSizeMiB) => eventsStreamIn(stack, { bufferSizeMiB })],
  [
    'ConversationsDeliveryStream',
    (stack, bufferSizeMiB) =>
      new ConversationsDeliveryStream(stack, 'ConversationsStream', {
        streamName: 'acme-conversations',
        bucket: new s3.Bucket(stack, 'EventsBucket'),
        table: catalogIn(stack).conversationsTable,
        bufferSizeMiB,
      }),
  ],
];

describe.each(streams)('%s, as every delivery stream', (kind, create) => {
  it('is a DirectPut stream encrypted with an AWS owned key, without backup, logging delivery errors', () => {
    // Prepare
    const stack = emptyStack();
    const stream = create(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: stream.streamName,
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
      ExtendedS3DestinationConfiguration: {
        CompressionFormat: 'UNCOMPRESSED',
        S3BackupMode: 'Disabled',
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        CloudWatchLoggingOptions: {
          Enabled: true,
          LogGroupName: { Ref: Match.anyValue() },
          LogStreamName: 'DestinationDelivery',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/kinesisfirehose/${stream.streamName}`,
      RetentionInDays: 30,
    });
  });

  it('lets a grantee put records on this stream and nothing else', () => {
    // Prepare
    const stack = emptyStack();
    const stream = create(stack);
    const publisher = new iam.Role(stack, 'Publisher', {
      assumedBy: new iam.ServicePrincipal('ses.amazonaws.com'),
    });

    // Act
    stream.grantPutRecords(publisher);

    // Assert
    const template = Template.fromStack(stack);
    const [streamId] = Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'));
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: stack.getLogicalId(publisher.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
          },
        ],
      },
    });
  });

  it('offers its DeliveryToS3.Success metric by stream name', () => {
    // Prepare
    const stream = create(emptyStack());

    // Act
    const metric = stream.metricDeliveryToS3Success();

    // Assert
    expect(metric).toMatchObject({
      namespace: 'AWS/Firehose',
      metricName: 'DeliveryToS3.Success',
      dimensions: { DeliveryStreamName: stream.streamName },
      statistic: 'Minimum',
    });
    expect(metric.period.toSeconds()).toBe(300);
  });

  it.each([63, 129, 64.5])(
    'rejects a buffer of %s MiB, below what dynamic partitioning needs or above the maximum',
    (size) => {
      // Act
      const error = thrownBy(() => create(emptyStack(), size));

      // Assert
      expect(error.name).toBe('InvalidPropsError');
      expect(error.message).toBe(
        `Invalid props for ${kind} at Test/${kind === 'EventsDeliveryStream' ? 'Events' : 'Conversations'}Stream:\n` +
          `- bufferSizeMiB is ${size}; expected a whole number of MiB from 64 to 128 (Firehose needs at least 64 MiB ` +
          'when it partitions dynamically or writes Parquet). Fix: pass bufferSizeMiB from 64 to 128.',
      );
    },
  );
});

describe('EngagementDeliveryStream', () => {
  it('rejects a name Firehose refuses', () => {
    // Act
    const error = thrownBy(() => {
      const stack = emptyStack();
      new ConversationsDeliveryStream(stack, 'ConversationsStream', {
        streamName: 'acme conversations',
        bucket: new s3.Bucket(stack, 'EventsBucket'),
        table: catalogIn(stack).conversationsTable,
      });
    });

    // Assert
    expect(error.message).toBe(
      'Invalid props for ConversationsDeliveryStream at Test/ConversationsStream:\n' +
        '- streamName is "acme conversations"; expected 1 to 64 letters, digits, dots, hyphens or underscores. ' +
        'Fix: pass a shorter streamName (it is <namesPrefix>-events or -conversations).',
    );
  });
});
