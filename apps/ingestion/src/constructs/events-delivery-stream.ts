import { Aws } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { type NumberRule, numberRule } from '@engagement-db/cdk-kit';
import {
  EngagementDeliveryStream,
  type EngagementDeliveryStreamProps,
  deliveryBufferRules,
} from './engagement-delivery-stream';
import type { CanonicalGlueTable } from './glue-catalog';

/** The events stream's destination table, its transformer and its buffers. */
export interface EventsDeliveryStreamProps extends EngagementDeliveryStreamProps {
  /** The Glue table whose schema the rows are converted to Parquet with, and whose folder they go to. */
  readonly table: CanonicalGlueTable;
  /** The Lambda that maps each batch of raw events to canonical rows and partition keys. */
  readonly transformer: lambda.IFunction;
  /**
   * MiB the stream buffers before it writes a Parquet object.
   * @default 128
   */
  readonly bufferSizeMiB?: number;
  /**
   * Longest wait in seconds before the stream writes what it has.
   * @default 300
   */
  readonly bufferIntervalSeconds?: number;
  /**
   * MiB of raw events per transformer invocation.
   * @default 1
   */
  readonly transformerBufferSizeMiB?: number;
  /**
   * Longest wait in seconds before the stream calls the transformer with what it has.
   * @default 60
   */
  readonly transformerBufferIntervalSeconds?: number;
}

/** The events stream's buffers when the props leave them out. */
export const eventsStreamDefaults = {
  bufferSizeMiB: 128,
  bufferIntervalSeconds: 300,
  transformerBufferSizeMiB: 1,
  transformerBufferIntervalSeconds: 60,
} as const;

/** What the transformer's batches may be. */
export const transformerBufferRules = {
  // Firehose allows up to 3 MiB, but the rows (raw event included) are about 2.5 times the input and
  // a Lambda response may not exceed 6 MB.
  sizeMiB: {
    kind: 'number',
    min: 0.2,
    max: 2,
    expected:
      'a number of MiB from 0.2 to 2 (the rows are about 2.5 times the input, and a Lambda response may not exceed 6 MB)',
  },
  // Firehose's own range for the processor's wait.
  intervalSeconds: deliveryBufferRules.intervalSeconds,
} as const satisfies Record<string, NumberRule>;

const partitionKeys = ['year', 'month', 'day', 'hour'] as const;

/**
 * The events delivery stream: direct PUT from SES, End User Messaging and SNS, each batch mapped by
 * the transformer Lambda into canonical rows, converted to Parquet with the Glue table's schema and
 * written to `events/YYYY/MM/DD/HH/` by the partition keys the Lambda returns. Records it cannot
 * transform, convert or deliver go to `errors/events/<error type>/YYYY/MM/DD/HH/`.
 *
 * @example
 * const events = new EventsDeliveryStream(stack, 'EventsStream', { streamName: 'engagementdb-events', bucket, table: catalog.eventsTable, transformer: transformer.function });
 * events.grantPutRecords(sesRole);
 */
export class EventsDeliveryStream extends EngagementDeliveryStream {
  constructor(scope: Construct, id: string, props: EventsDeliveryStreamProps) {
    const settings = {
      bufferSizeMiB: props.bufferSizeMiB ?? eventsStreamDefaults.bufferSizeMiB,
      bufferIntervalSeconds: props.bufferIntervalSeconds ?? eventsStreamDefaults.bufferIntervalSeconds,
      transformerBufferSizeMiB:
        props.transformerBufferSizeMiB ?? eventsStreamDefaults.transformerBufferSizeMiB,
      transformerBufferIntervalSeconds:
        props.transformerBufferIntervalSeconds ?? eventsStreamDefaults.transformerBufferIntervalSeconds,
    };
    const { prefix } = props.table;
    super(
      scope,
      id,
      props,
      {
        prefix: `${prefix}/${partitionKeys.map((key) => `!{partitionKeyFromLambda:${key}}`).join('/')}/`,
        errorOutputPrefix: `errors/${prefix}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
        writablePrefixes: [`${prefix}/`, `errors/${prefix}/`],
        bufferSizeMiB: settings.bufferSizeMiB,
        bufferIntervalSeconds: settings.bufferIntervalSeconds,
        settings: (role) => ({
          processingConfiguration: {
            enabled: true,
            processors: [
              {
                type: 'Lambda',
                parameters: [
                  { parameterName: 'LambdaArn', parameterValue: props.transformer.functionArn },
                  {
                    parameterName: 'BufferSizeInMBs',
                    parameterValue: String(settings.transformerBufferSizeMiB),
                  },
                  {
                    parameterName: 'BufferIntervalInSeconds',
                    parameterValue: String(settings.transformerBufferIntervalSeconds),
                  },
                  { parameterName: 'NumberOfRetries', parameterValue: '3' },
                ],
              },
            ],
          },
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
              databaseName: props.table.databaseName,
              tableName: props.table.tableName,
              roleArn: role.roleArn,
              versionId: 'LATEST',
            },
          },
        }),
        dependsOn: [props.table],
      },
      [
        numberRule(
          'transformerBufferSizeMiB',
          settings.transformerBufferSizeMiB,
          transformerBufferRules.sizeMiB,
        ),
        numberRule(
          'transformerBufferIntervalSeconds',
          settings.transformerBufferIntervalSeconds,
          transformerBufferRules.intervalSeconds,
        ),
      ],
    );
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
      resourceArns: [props.transformer.functionArn],
    });
    props.table.grantReadSchema(this.role);
  }

  /** The share of transformer invocations that succeeded; its minimum is below 1 when any failed. */
  metricExecuteProcessingSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ExecuteProcessing.Success', { statistic: 'Minimum', ...props });
  }

  /** Rows that did not match the Glue table and were not converted to Parquet (sum). */
  metricFailedConversionRecords(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('FailedConversion.Records', { statistic: 'Sum', ...props });
  }
}
