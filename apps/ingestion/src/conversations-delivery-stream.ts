import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { conversationTable } from '@engagement-db/canonical-model';
import { DeliveryStreamParts } from './internal/delivery-stream-parts';

/** The stream's name, its destination and its buffer. */
export interface ConversationsDeliveryStreamProps {
  readonly streamName: string;
  readonly bucket: s3.IBucket;
  readonly bufferSizeMiB: number;
  readonly bufferIntervalSeconds: number;
  readonly logRetention: logs.RetentionDays;
}

const hourParts = { year: '%Y', month: '%m', day: '%d', hour: '%H' } as const;

/**
 * The JQ query Firehose runs on each conversation record: the UTC hour parts of its epoch-millisecond
 * `timestamp`. Each value is parenthesised, as JQ needs for a pipe inside an object.
 */
export const conversationPartitionQuery = `{${Object.entries(hourParts)
  .map(([key, format]) => `${key}: (.timestamp/1000 | strftime("${format}"))`)
  .join(', ')}}`;

/** Where the conversations stream writes: one folder per UTC hour of the record's timestamp. */
export const conversationsPrefix = `${conversationTable.prefix}/${Object.keys(hourParts)
  .map((key) => `!{partitionKeyFromQuery:${key}}`)
  .join('/')}/`;

/** Where the conversations stream writes records without a usable timestamp. */
export const conversationsErrorPrefix = `errors/${conversationTable.prefix}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`;

/**
 * The `engagementdb-conversations` delivery stream: chatbot conversation records put directly as
 * JSON, written one per line to `conversations/YYYY/MM/DD/HH/` by the hour of their own timestamp.
 *
 * @example new ConversationsDeliveryStream(stack, 'ConversationsStream', { streamName: 'engagementdb-conversations', bucket, ... });
 */
export class ConversationsDeliveryStream extends Construct {
  readonly stream: firehose.CfnDeliveryStream;

  constructor(scope: Construct, id: string, props: ConversationsDeliveryStreamProps) {
    super(scope, id);
    const parts = new DeliveryStreamParts(this, 'Delivery', {
      streamName: props.streamName,
      bucket: props.bucket,
      prefixes: [`${conversationTable.prefix}/`, `errors/${conversationTable.prefix}/`],
      logRetention: props.logRetention,
    });
    this.stream = new firehose.CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: parts.role.roleArn,
        prefix: conversationsPrefix,
        errorOutputPrefix: conversationsErrorPrefix,
        // Text files stay uncompressed so the same JSON lines can be read by any tool, as in the local lake.
        compressionFormat: 'UNCOMPRESSED',
        bufferingHints: { sizeInMBs: props.bufferSizeMiB, intervalInSeconds: props.bufferIntervalSeconds },
        cloudWatchLoggingOptions: parts.loggingOptions,
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: conversationPartitionQuery },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }],
            },
          ],
        },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        s3BackupMode: 'Disabled',
      },
    });
    this.stream.node.addDependency(parts.role);
  }
}
