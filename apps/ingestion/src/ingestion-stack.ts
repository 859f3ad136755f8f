import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ConversationsDeliveryStream } from './conversations-delivery-stream';
import { EngagementBuckets } from './engagement-buckets';
import { EventsDeliveryStream } from './events-delivery-stream';
import { GlueCatalog } from './glue-catalog';
import { IngestionAlarms } from './ingestion-alarms';
import type { IngestionConfig } from './ingestion-config';
import { MessagingSources } from './messaging-sources';
import { resourceNamesOf } from './resource-names';
import { TransformerFunction } from './transformer-function';

/** The configuration of the stack and where its prebuilt transformer bundle is. */
export interface IngestionStackProps extends StackProps {
  readonly config: IngestionConfig;
  /** Defaults to `apps/ingestion/dist/transformer`, written by `npm run build`. */
  readonly bundleDirectory?: string;
}

/**
 * The folder `npm run build` bundles the transformer into.
 *
 * @example defaultBundleDirectory // '/repo/apps/ingestion/dist/transformer'
 */
export const defaultBundleDirectory = join(__dirname, '..', 'dist', 'transformer');

/**
 * Everything that brings messaging events into engagement-db on AWS: buckets, the transformer, the
 * two delivery streams, the Glue catalog, the SES / End User Messaging / WhatsApp sources and the alarms.
 * The names a user needs later are stack outputs.
 *
 * @example new IngestionStack(app, 'EngagementDbIngestion', { config: loadIngestionConfig({ ... }) });
 */
export class IngestionStack extends Stack {
  readonly buckets: EngagementBuckets;
  readonly catalog: GlueCatalog;
  readonly transformer: TransformerFunction;
  readonly eventsStream: EventsDeliveryStream;
  readonly conversationsStream: ConversationsDeliveryStream;
  readonly sources: MessagingSources;
  readonly alarms: IngestionAlarms;

  constructor(scope: Construct, id: string, props: IngestionStackProps) {
    super(scope, id, {
      description:
        'engagement-db ingestion: SES, End User Messaging and WhatsApp events to S3 Parquet, Glue and Athena.',
      ...props,
    });
    const { config } = props;
    const names = resourceNamesOf(config.namesPrefix);
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    this.buckets = new EngagementBuckets(this, 'Buckets', config);
    this.catalog = new GlueCatalog(this, 'Catalog', {
      databaseName: names.glueDatabase,
      eventsTableName: names.eventsTable,
      conversationsTableName: names.conversationsTable,
      bucket: this.buckets.events,
    });
    this.transformer = new TransformerFunction(this, 'Transformer', {
      functionName: names.transformerFunction,
      bundleDirectory: props.bundleDirectory ?? defaultBundleDirectory,
      templatesBucket: this.buckets.templates,
      logRetention,
    });
    this.eventsStream = new EventsDeliveryStream(this, 'EventsStream', {
      streamName: names.eventsStream,
      bucket: this.buckets.events,
      catalog: this.catalog,
      transformer: this.transformer.function,
      bufferSizeMiB: config.eventsBufferSizeMiB,
      bufferIntervalSeconds: config.eventsBufferIntervalSeconds,
      transformerBufferSizeMiB: config.transformerBufferSizeMiB,
      transformerBufferIntervalSeconds: config.transformerBufferIntervalSeconds,
      logRetention,
    });
    this.conversationsStream = new ConversationsDeliveryStream(this, 'ConversationsStream', {
      streamName: names.conversationsStream,
      bucket: this.buckets.events,
      bufferSizeMiB: config.conversationsBufferSizeMiB,
      bufferIntervalSeconds: config.conversationsBufferIntervalSeconds,
      logRetention,
    });
    this.sources = new MessagingSources(this, 'Sources', {
      eventsStream: this.eventsStream.stream,
      sesConfigurationSetName: names.sesConfigurationSet,
      smsVoiceConfigurationSetName: names.smsVoiceConfigurationSet,
      whatsappTopicArn: config.whatsappEnabled ? config.whatsappTopicArn : undefined,
    });
    this.alarms = new IngestionAlarms(this, 'Alarms', {
      alarmPrefix: names.alarmPrefix,
      transformer: this.transformer.function,
      eventsStreamName: names.eventsStream,
      conversationsStreamName: names.conversationsStream,
    });
    // The streams must exist before their metrics mean anything; the names alone do not say so.
    for (const alarm of this.alarms.all)
      alarm.node.addDependency(this.eventsStream, this.conversationsStream);

    const outputs: Record<string, { value: string; description: string }> = {
      EventsStreamName: {
        value: names.eventsStream,
        description: 'Firehose stream for SES, SMS/MMS/Voice and WhatsApp events',
      },
      ConversationsStreamName: {
        value: names.conversationsStream,
        description: 'Firehose stream for chatbot conversation records (direct PUT)',
      },
      EventsBucketName: {
        value: this.buckets.events.bucketName,
        description: 'Bucket of events/, conversations/ and errors/',
      },
      TemplatesBucketName: {
        value: this.buckets.templates.bucketName,
        description: 'Bucket of the Velocity templates (templates/)',
      },
      AccessLogsBucketName: {
        value: this.buckets.accessLogs.bucketName,
        description: 'Bucket of the S3 access logs',
      },
      SesConfigurationSetName: {
        value: names.sesConfigurationSet,
        description: 'SES configuration set to send email with',
      },
      SmsVoiceConfigurationSetName: {
        value: names.smsVoiceConfigurationSet,
        description: 'End User Messaging SMS/Voice configuration set to send with',
      },
      GlueDatabaseName: { value: names.glueDatabase, description: 'Glue database to query in Athena' },
      EventsTableName: { value: names.eventsTable, description: 'Glue table of the canonical events' },
      ConversationsTableName: {
        value: names.conversationsTable,
        description: 'Glue table of the conversations',
      },
      TransformerFunctionName: {
        value: this.transformer.function.functionName,
        description: 'The transformer Lambda',
      },
    };
    for (const alarm of this.alarms.all) {
      outputs[`${alarm.node.id}AlarmName`] = {
        value: alarm.alarmName,
        description: 'Alarm to attach a notification to',
      };
    }
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}
