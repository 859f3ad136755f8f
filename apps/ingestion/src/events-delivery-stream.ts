import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Aws } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { eventTable } from '@engagement-db/canonical-model';
import type { GlueCatalog } from './glue-catalog';
import { DeliveryStreamParts } from './internal/delivery-stream-parts';

/** The stream's name, its destination, its transformer and its buffers. */
export interface EventsDeliveryStreamProps {
  readonly streamName: string;
  readonly bucket: s3.IBucket;
  readonly catalog: GlueCatalog;
  readonly transformer: lambda.IFunction;
  readonly bufferSizeMiB: number;
  readonly bufferIntervalSeconds: number;
  readonly transformerBufferSizeMiB: number;
  readonly transformerBufferIntervalSeconds: number;
  readonly logRetention: logs.RetentionDays;
}

const partitionKeys = ['year', 'month', 'day', 'hour'] as const;

/** Where the events stream writes: one folder per UTC hour of the event, keys given by the transformer. */
export const eventsPrefix = `${eventTable.prefix}/${partitionKeys.map((key) => `!{partitionKeyFromLambda:${key}}`).join('/')}/`;

/** Where the events stream writes records it could not transform, convert or deliver. */
export const eventsErrorPrefix = `errors/${eventTable.prefix}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`;

/**
 * The `engagementdb-events` delivery stream: direct PUT from SES, End User Messaging and SNS, each
 * batch mapped by the transformer Lambda into canonical rows, converted to Parquet with the Glue
 * events table's schema and written to `events/YYYY/MM/DD/HH/` by the partition keys the Lambda returns.
 *
 * @example new EventsDeliveryStream(stack, 'EventsStream', { streamName: 'engagementdb-events', bucket, catalog, transformer, ... });
 */
export class EventsDeliveryStream extends Construct {
  readonly stream: firehose.CfnDeliveryStream;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: EventsDeliveryStreamProps) {
    super(scope, id);
    const parts = new DeliveryStreamParts(this, 'Delivery', {
      streamName: props.streamName,
      bucket: props.bucket,
      prefixes: [`${eventTable.prefix}/`, `errors/${eventTable.prefix}/`],
      logRetention: props.logRetention,
    });
    this.role = parts.role;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [props.transformer.functionArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [props.catalog.catalogArn, props.catalog.databaseArn, props.catalog.eventsTableArn],
      }),
    );

    this.stream = new firehose.CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: eventsPrefix,
        errorOutputPrefix: eventsErrorPrefix,
        // Parquet files carry their own (Snappy) compression; Firehose requires UNCOMPRESSED with conversion.
        compressionFormat: 'UNCOMPRESSED',
        bufferingHints: { sizeInMBs: props.bufferSizeMiB, intervalInSeconds: props.bufferIntervalSeconds },
        cloudWatchLoggingOptions: parts.loggingOptions,
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'Lambda',
              parameters: [
                { parameterName: 'LambdaArn', parameterValue: props.transformer.functionArn },
                { parameterName: 'BufferSizeInMBs', parameterValue: String(props.transformerBufferSizeMiB) },
                {
                  parameterName: 'BufferIntervalInSeconds',
                  parameterValue: String(props.transformerBufferIntervalSeconds),
                },
                { parameterName: 'NumberOfRetries', parameterValue: '3' },
              ],
            },
          ],
        },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: {
            // Rows arrive with camelCase keys; Glue columns are their lower-cased names.
            deserializer: {
              openXJsonSerDe: { caseInsensitive: true, convertDotsInJsonKeysToUnderscores: false },
            },
          },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            catalogId: Aws.ACCOUNT_ID,
            region: Aws.REGION,
            databaseName: props.catalog.databaseName,
            tableName: props.catalog.eventsTableName,
            roleArn: this.role.roleArn,
            versionId: 'LATEST',
          },
        },
        s3BackupMode: 'Disabled',
      },
    });
    this.stream.node.addDependency(this.role, props.catalog.eventsTable);
  }
}
