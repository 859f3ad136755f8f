import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import type { IngestionConfig } from '../config/ingestion-config';
import { resourceNamesOf } from '../config/resource-names';
import { ConversationsDeliveryStream } from '../constructs/conversations-delivery-stream';
import { EngagementBuckets } from '../constructs/engagement-buckets';
import { EventsDeliveryStream } from '../constructs/events-delivery-stream';
import { GlueCatalog } from '../constructs/glue-catalog';
import { IngestionAlarms } from '../constructs/ingestion-alarms';
import { MessagingSources } from '../constructs/messaging-sources';
import { TemplatesDeployment } from '../constructs/templates-deployment';
import { TransformerFunction } from '../constructs/transformer-function';

/** The configuration of the stack and where its prebuilt transformer bundle is. */
export interface IngestionStackProps extends StackProps {
  /** The checked settings of the deployment. */
  readonly config: IngestionConfig;
  /**
   * The folder of the prebuilt transformer bundle.
   * @default apps/ingestion/dist/transformer, written by `npx nx run ingestion:build`
   */
  readonly bundleDirectory?: string;
}

/**
 * The folder the app's build bundles the transformer into.
 *
 * @example defaultBundleDirectory // '/repo/apps/ingestion/dist/transformer'
 */
export const defaultBundleDirectory = join(__dirname, '..', '..', 'dist', 'transformer');

/**
 * Everything that brings messaging events into engagement-db on AWS: buckets, the transformer and
 * its templates, the two delivery streams, the Glue catalog, the SES / End User Messaging / WhatsApp
 * sources and the alarms. The names a user needs later are stack outputs.
 *
 * @example new IngestionStack(app, 'EngagementDbIngestion', { ...stackProps, config });
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
    super(scope, id, props);
    const { config } = props;
    const names = resourceNamesOf(config.namesPrefix);
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const bundleDirectory = props.bundleDirectory ?? defaultBundleDirectory;

    this.buckets = new EngagementBuckets(this, 'Buckets', config);
    this.catalog = new GlueCatalog(this, 'Catalog', {
      databaseName: names.glueDatabase,
      eventsTableName: names.eventsTable,
      conversationsTableName: names.conversationsTable,
      bucket: this.buckets.events,
    });
    this.transformer = new TransformerFunction(this, 'Transformer', {
      functionName: names.transformerFunction,
      bundleDirectory,
      templatesBucket: this.buckets.templates,
      logRetention,
    });
    const templates = new TemplatesDeployment(this, 'DefaultTemplates', {
      sourceDirectory: join(bundleDirectory, 'templates'),
      bucket: this.buckets.templates,
    });
    // The function falls back to its bundled templates, but should start with the bucket filled.
    this.transformer.function.node.addDependency(templates);
    this.eventsStream = new EventsDeliveryStream(this, 'EventsStream', {
      streamName: names.eventsStream,
      bucket: this.buckets.events,
      table: this.catalog.eventsTable,
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
      table: this.catalog.conversationsTable,
      bufferSizeMiB: config.conversationsBufferSizeMiB,
      bufferIntervalSeconds: config.conversationsBufferIntervalSeconds,
      logRetention,
    });
    this.sources = new MessagingSources(this, 'Sources', {
      eventsStream: this.eventsStream,
      sesConfigurationSetName: names.sesConfigurationSet,
      smsVoiceConfigurationSetName: names.smsVoiceConfigurationSet,
      whatsappTopicArn: config.whatsappEnabled ? config.whatsappTopicArn : undefined,
    });
    this.alarms = new IngestionAlarms(this, 'Alarms', {
      alarmPrefix: names.alarmPrefix,
      transformer: this.transformer,
      eventsStream: this.eventsStream,
      conversationsStream: this.conversationsStream,
    });

    // The analytics app reads the generated bucket name from here at deploy time.
    new ssm.StringParameter(this, 'EventsBucketNameParameter', {
      parameterName: names.eventsBucketParameter,
      stringValue: this.buckets.events.bucketName,
      description: 'engagement-db: the bucket of events/, conversations/ and errors/ (ingestion app).',
    });

    const outputs: Record<string, { value: string; description: string }> = {
      EventsStreamName: {
        value: this.eventsStream.streamName,
        description: 'Firehose stream for SES, SMS/MMS/Voice and WhatsApp events',
      },
      ConversationsStreamName: {
        value: this.conversationsStream.streamName,
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
        value: this.sources.sesConfigurationSetName,
        description: 'SES configuration set to send email with',
      },
      SmsVoiceConfigurationSetName: {
        value: this.sources.smsVoiceConfigurationSetName,
        description: 'End User Messaging SMS/Voice configuration set to send with',
      },
      GlueDatabaseName: { value: this.catalog.databaseName, description: 'Glue database to query in Athena' },
      EventsTableName: {
        value: this.catalog.eventsTable.tableName,
        description: 'Glue table of the canonical events',
      },
      ConversationsTableName: {
        value: this.catalog.conversationsTable.tableName,
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
