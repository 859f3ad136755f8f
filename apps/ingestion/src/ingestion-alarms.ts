import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  TransformerMetric,
  transformerMetricsNamespace,
  transformerServiceName,
} from '@engagement-db/firehose-transformer';

/** What the alarms watch. */
export interface IngestionAlarmsProps {
  readonly alarmPrefix: string;
  readonly transformer: lambda.IFunction;
  readonly eventsStreamName: string;
  readonly conversationsStreamName: string;
}

const period = Duration.minutes(5);

/**
 * The alarms that say records are being lost: records the transformer could not map, transformer
 * errors, events that failed Parquet conversion, and deliveries or transformations that did not
 * all succeed. None has an action; subscribe a topic to the ones you care about.
 *
 * @example new IngestionAlarms(stack, 'Alarms', { alarmPrefix: 'engagementdb', transformer, eventsStreamName, conversationsStreamName });
 */
export class IngestionAlarms extends Construct {
  readonly transformerRecordsFailed: cloudwatch.Alarm;
  readonly transformerErrors: cloudwatch.Alarm;
  readonly eventsFormatConversionFailed: cloudwatch.Alarm;
  readonly eventsProcessingFailed: cloudwatch.Alarm;
  readonly eventsDeliveryFailed: cloudwatch.Alarm;
  readonly conversationsDeliveryFailed: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IngestionAlarmsProps) {
    super(scope, id);
    const atLeastOne = (alarmId: string, name: string, description: string, metric: cloudwatch.IMetric) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.alarmPrefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const belowOne = (alarmId: string, name: string, description: string, metric: cloudwatch.IMetric) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.alarmPrefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const firehoseMetric = (metricName: string, streamName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName,
        dimensionsMap: { DeliveryStreamName: streamName },
        statistic,
        period,
      });

    this.transformerRecordsFailed = atLeastOne(
      'TransformerRecordsFailed',
      'transformer-records-failed',
      'The transformer could not map some records; they are in errors/events/processing-failed/ with the reason in its logs.',
      new cloudwatch.Metric({
        namespace: transformerMetricsNamespace,
        metricName: TransformerMetric.recordsFailed,
        dimensionsMap: { service: transformerServiceName },
        statistic: 'Sum',
        period,
      }),
    );
    this.transformerErrors = atLeastOne(
      'TransformerErrors',
      'transformer-errors',
      'The transformer Lambda failed whole invocations; Firehose retries them, then writes the batch to errors/events/.',
      props.transformer.metricErrors({ period, statistic: 'Sum' }),
    );
    this.eventsFormatConversionFailed = atLeastOne(
      'EventsFormatConversionFailed',
      'events-format-conversion-failed',
      'Some rows did not match the Glue events table and were not converted to Parquet; see errors/events/format-conversion-failed/.',
      firehoseMetric('FailedConversion.Records', props.eventsStreamName, 'Sum'),
    );
    this.eventsProcessingFailed = belowOne(
      'EventsProcessingFailed',
      'events-processing-failed',
      'Some transformer invocations by the events stream did not succeed (ExecuteProcessing.Success below 1).',
      firehoseMetric('ExecuteProcessing.Success', props.eventsStreamName, 'Minimum'),
    );
    this.eventsDeliveryFailed = belowOne(
      'EventsDeliveryFailed',
      'events-delivery-failed',
      'Some events could not be written to S3 (DeliveryToS3.Success below 1); see the stream log group.',
      firehoseMetric('DeliveryToS3.Success', props.eventsStreamName, 'Minimum'),
    );
    this.conversationsDeliveryFailed = belowOne(
      'ConversationsDeliveryFailed',
      'conversations-delivery-failed',
      'Some conversation records could not be written to S3 (DeliveryToS3.Success below 1); see the stream log group.',
      firehoseMetric('DeliveryToS3.Success', props.conversationsStreamName, 'Minimum'),
    );
  }

  /** Every alarm, in the order of the stack outputs. */
  get all(): cloudwatch.Alarm[] {
    return [
      this.transformerRecordsFailed,
      this.transformerErrors,
      this.eventsFormatConversionFailed,
      this.eventsProcessingFailed,
      this.eventsDeliveryFailed,
      this.conversationsDeliveryFailed,
    ];
  }
}
