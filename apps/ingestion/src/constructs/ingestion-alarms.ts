import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import type { ConversationsDeliveryStream } from './conversations-delivery-stream';
import type { EventsDeliveryStream } from './events-delivery-stream';
import type { TransformerFunction } from './transformer-function';

/** What the alarms watch and how they are named. */
export interface IngestionAlarmsProps {
  /** The alarms are named `<alarmPrefix>-<alarm>`. */
  readonly alarmPrefix: string;
  readonly transformer: TransformerFunction;
  readonly eventsStream: EventsDeliveryStream;
  readonly conversationsStream: ConversationsDeliveryStream;
}

/**
 * The alarms that say records are being lost: records the transformer could not map, transformer
 * errors, events that failed Parquet conversion, and deliveries or transformations that did not
 * all succeed. None has an action; subscribe a topic to the ones you care about.
 *
 * @example new IngestionAlarms(stack, 'Alarms', { alarmPrefix: 'engagementdb', transformer, eventsStream, conversationsStream });
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
    checkProps(this, [
      {
        prop: 'alarmPrefix',
        value: props.alarmPrefix,
        valid: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/.test(props.alarmPrefix),
        expected: 'up to 200 letters, digits, dots, hyphens or underscores, starting with a letter or digit',
        fix: 'pass the names prefix of the deployment, e.g. alarmPrefix: "engagementdb"',
      },
    ]);
    const alarm = (
      alarmId: string,
      name: string,
      description: string,
      metric: cloudwatch.IMetric,
      comparisonOperator: cloudwatch.ComparisonOperator,
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `${props.alarmPrefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      // The streams must exist before their metrics mean anything; the names alone do not say so.
      created.node.addDependency(props.eventsStream, props.conversationsStream);
      return created;
    };
    const atLeastOne = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const belowOne = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;

    this.transformerRecordsFailed = alarm(
      'TransformerRecordsFailed',
      'transformer-records-failed',
      'The transformer could not map some records; they are in errors/events/processing-failed/ with the reason in its logs.',
      props.transformer.metricRecordsFailed(),
      atLeastOne,
    );
    this.transformerErrors = alarm(
      'TransformerErrors',
      'transformer-errors',
      'The transformer Lambda failed whole invocations; Firehose retries them, then writes the batch to errors/events/.',
      props.transformer.metricErrors(),
      atLeastOne,
    );
    this.eventsFormatConversionFailed = alarm(
      'EventsFormatConversionFailed',
      'events-format-conversion-failed',
      'Some rows did not match the Glue events table and were not converted to Parquet; see errors/events/format-conversion-failed/.',
      props.eventsStream.metricFailedConversionRecords(),
      atLeastOne,
    );
    this.eventsProcessingFailed = alarm(
      'EventsProcessingFailed',
      'events-processing-failed',
      'Some transformer invocations by the events stream did not succeed (ExecuteProcessing.Success below 1).',
      props.eventsStream.metricExecuteProcessingSuccess(),
      belowOne,
    );
    this.eventsDeliveryFailed = alarm(
      'EventsDeliveryFailed',
      'events-delivery-failed',
      'Some events could not be written to S3 (DeliveryToS3.Success below 1); see the stream log group.',
      props.eventsStream.metricDeliveryToS3Success(),
      belowOne,
    );
    this.conversationsDeliveryFailed = alarm(
      'ConversationsDeliveryFailed',
      'conversations-delivery-failed',
      'Some conversation records could not be written to S3 (DeliveryToS3.Success below 1); see the stream log group.',
      props.conversationsStream.metricDeliveryToS3Success(),
      belowOne,
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
