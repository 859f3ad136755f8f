import { execFileSync } from 'node:child_process';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  conversationTable,
  eventTable,
  glueColumnsOf,
  glueDatabaseName,
  partitionPathOf,
} from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { removeTestOutdirs, testStack } from '../test/test-stack';
import { conversationPartitionQuery } from './conversations-delivery-stream';
import { defaultIngestionConfig } from './ingestion-config';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const whatsappTopicArn = 'arn:aws:sns:eu-west-1:123456789012:whatsapp-events';

let template: Template;
let acme: Template;

beforeAll(() => {
  template = Template.fromStack(testStack());
  acme = Template.fromStack(
    testStack({
      namesPrefix: 'acme',
      whatsappEnabled: true,
      whatsappTopicArn,
      dataRetentionDays: 400,
      eventsBufferSizeMiB: 64,
      eventsBufferIntervalSeconds: 900,
      transformerBufferSizeMiB: 2,
    }),
  );
});

afterAll(() => {
  removeTestOutdirs();
});

function only(t: Template, type: string, props: Record<string, unknown> = {}): Record<string, unknown> {
  const found = Object.values(t.findResources(type, { Properties: props }) as Resources);
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

function logicalIdOf(t: Template, type: string, props: Record<string, unknown>): string {
  const ids = Object.keys(t.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function policyStatements(t: Template): Record<string, unknown>[] {
  const policies = Object.values(t.findResources('AWS::IAM::Policy') as Resources);
  return policies.flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
  );
}

describe('IngestionStack buckets', () => {
  it('creates three buckets, all encrypted with public access blocked', () => {
    // Act
    const buckets = Object.values(template.findResources('AWS::S3::Bucket') as Resources);

    // Assert
    expect(buckets).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
    }
  });

  it('denies every request without TLS on each bucket', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Resources);

    // Assert
    expect(policies).toHaveLength(3);
    for (const policy of policies) {
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('logs access to the events and templates buckets into the access-log bucket', () => {
    // Prepare
    const accessLogs = logicalIdOf(template, 'AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] },
    });

    // Act
    const logged = Object.values(template.findResources('AWS::S3::Bucket') as Resources).filter(
      (b) => b.Properties.LoggingConfiguration !== undefined,
    );

    // Assert
    expect(logged.map((b) => b.Properties.LoggingConfiguration)).toEqual([
      { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'events-bucket/' },
      { DestinationBucketName: { Ref: accessLogs }, LogFilePrefix: 'templates-bucket/' },
    ]);
  });

  it('expires errors and access logs but keeps data forever with the default retention', () => {
    // Act
    const rules = Object.values(template.findResources('AWS::S3::Bucket') as Resources).flatMap(
      (b) =>
        (b.Properties.LifecycleConfiguration as { Rules: { Id: string; ExpirationInDays?: number }[] }).Rules,
    );

    // Assert
    const expiry = Object.fromEntries(
      rules.filter((r) => r.ExpirationInDays).map((r) => [r.Id, r.ExpirationInDays]),
    );
    expect(expiry).toEqual({
      'expire-access-logs': defaultIngestionConfig.accessLogRetentionDays,
      'expire-errors': defaultIngestionConfig.errorRetentionDays,
    });
  });

  it('expires events and conversations when dataRetentionDays is set', () => {
    // Act
    const events = only(acme, 'AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-errors' })]) },
    });

    // Assert
    expect((events.LifecycleConfiguration as { Rules: unknown[] }).Rules).toEqual(
      expect.arrayContaining([
        { Id: 'expire-events', Prefix: 'events/', ExpirationInDays: 400, Status: 'Enabled' },
        { Id: 'expire-conversations', Prefix: 'conversations/', ExpirationInDays: 400, Status: 'Enabled' },
      ]),
    );
  });
});

describe('IngestionStack transformer', () => {
  it('runs the bundled handler on the latest Node.js runtime, reading templates from the templates bucket', () => {
    // Prepare
    const templatesBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
    });

    // Act
    const fn = only(template, 'AWS::Lambda::Function', { FunctionName: 'engagementdb-firehose-transformer' });

    // Assert
    expect(fn).toMatchObject({
      FunctionName: 'engagementdb-firehose-transformer',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 120,
      Environment: {
        Variables: {
          TEMPLATES_BUCKET: { Ref: templatesBucket },
          TEMPLATES_PREFIX: 'templates/',
          ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          CANONICAL_TABLE: 'events',
          POWERTOOLS_SERVICE_NAME: 'firehose-transformer',
          POWERTOOLS_METRICS_NAMESPACE: 'EngagementDb',
        },
      },
    });
  });

  it('deploys the default templates under templates/ in the templates bucket', () => {
    // Prepare
    const templatesBucket = logicalIdOf(template, 'AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
    });

    // Act
    const deployment = only(template, 'Custom::CDKBucketDeployment');

    // Assert
    expect(deployment).toMatchObject({
      DestinationBucketName: { Ref: templatesBucket },
      DestinationBucketKeyPrefix: 'templates/',
    });
  });

  it('lets the function read only the templates/ objects and write only its own log group', () => {
    // Prepare
    const fn = only(template, 'AWS::Lambda::Function', { FunctionName: 'engagementdb-firehose-transformer' });
    const roleId = (fn.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];

    // Act
    const policy = only(template, 'AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });

    // Assert
    const statements = (policy.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
      .Statement;
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      's3:GetObject',
      's3:ListBucket',
    ]);
    expect(JSON.stringify(statements[1].Resource)).toContain('/templates/*');
  });
});

describe('IngestionStack events stream', () => {
  let stream: Record<string, unknown>;
  let destination: Record<string, unknown>;

  beforeAll(() => {
    stream = only(template, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: eventTable.deliveryStreamName,
    });
    destination = stream.ExtendedS3DestinationConfiguration as Record<string, unknown>;
  });

  it('is a DirectPut stream encrypted with an AWS owned key', () => {
    expect(stream).toMatchObject({
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    });
  });

  it('writes into one folder per hour from the partition keys the Lambda returns', () => {
    expect(destination).toMatchObject({
      Prefix:
        'events/!{partitionKeyFromLambda:year}/!{partitionKeyFromLambda:month}/!{partitionKeyFromLambda:day}/!{partitionKeyFromLambda:hour}/',
      ErrorOutputPrefix: 'errors/events/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
      DynamicPartitioningConfiguration: { Enabled: true },
    });
  });

  it.each([
    ['default', () => destination, { SizeInMBs: 128, IntervalInSeconds: 300 }],
    ['configured', () => eventsDestinationOf(acme, 'acme-events'), { SizeInMBs: 64, IntervalInSeconds: 900 }],
  ])('buffers at least 64 MiB (%s config)', (_name, destinationOf, hints) => {
    expect(destinationOf().BufferingHints).toEqual(hints);
  });

  it.each([
    ['default', () => destination, '1', '60'],
    ['configured', () => eventsDestinationOf(acme, 'acme-events'), '2', '60'],
  ])(
    'hands the transformer batches of the configured size (%s config)',
    (_name, destinationOf, size, interval) => {
      // Prepare
      const fnId = logicalIdOf(template, 'AWS::Lambda::Function', {
        FunctionName: 'engagementdb-firehose-transformer',
      });

      // Act
      const processors = (
        destinationOf().ProcessingConfiguration as {
          Processors: { Type: string; Parameters: { ParameterName: string; ParameterValue: unknown }[] }[];
        }
      ).Processors;

      // Assert
      expect(processors).toHaveLength(1);
      expect(processors[0].Type).toBe('Lambda');
      const parameters = Object.fromEntries(
        processors[0].Parameters.map((p) => [p.ParameterName, p.ParameterValue]),
      );
      expect(parameters).toMatchObject({ BufferSizeInMBs: size, BufferIntervalInSeconds: interval });
      if (_name === 'default') expect(parameters.LambdaArn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    },
  );

  it('converts rows to Snappy Parquet with the Glue events table as schema, reading keys case-insensitively', () => {
    expect(destination).toMatchObject({
      CompressionFormat: 'UNCOMPRESSED',
      DataFormatConversionConfiguration: {
        Enabled: true,
        InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: { CaseInsensitive: true } } },
        OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
        SchemaConfiguration: {
          DatabaseName: glueDatabaseName,
          TableName: eventTable.glueName,
          VersionId: 'LATEST',
        },
      },
    });
  });

  it('logs delivery errors to CloudWatch', () => {
    expect(destination.CloudWatchLoggingOptions).toMatchObject({
      Enabled: true,
      LogStreamName: 'DestinationDelivery',
    });
  });

  it('lets Firehose write only under events/ and errors/events/, call the transformer and read the events table', () => {
    // Prepare
    const roleId = (destination.RoleARN as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];

    // Act
    const policy = only(template, 'AWS::IAM::Policy', { Roles: [{ Ref: roleId }] });

    // Assert
    const statements = (
      policy.PolicyDocument as { Statement: { Action: string[] | string; Resource: unknown }[] }
    ).Statement;
    const byAction = (action: string) =>
      JSON.stringify(statements.find((s) => [s.Action].flat().includes(action))?.Resource);
    expect(byAction('s3:PutObject')).toMatch(/"\/events\/\*".*"\/errors\/events\/\*"/);
    expect(byAction('lambda:InvokeFunction')).toContain('"Arn"');
    expect(byAction('glue:GetTable')).toContain(`table/${glueDatabaseName}/${eventTable.glueName}`);
    expect(byAction('logs:PutLogEvents')).toContain(':log-stream:DestinationDelivery');
  });
});

function eventsDestinationOf(t: Template, name: string): Record<string, unknown> {
  return only(t, 'AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: name })
    .ExtendedS3DestinationConfiguration as Record<string, unknown>;
}

describe('IngestionStack conversations stream', () => {
  let destination: Record<string, unknown>;

  beforeAll(() => {
    destination = eventsDestinationOf(template, conversationTable.deliveryStreamName);
  });

  it('writes newline-delimited records into one folder per hour of their timestamp', () => {
    expect(destination).toMatchObject({
      Prefix:
        'conversations/!{partitionKeyFromQuery:year}/!{partitionKeyFromQuery:month}/!{partitionKeyFromQuery:day}/!{partitionKeyFromQuery:hour}/',
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'MetadataExtraction',
            Parameters: [
              { ParameterName: 'MetadataExtractionQuery', ParameterValue: conversationPartitionQuery },
              { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
            ],
          },
          {
            Type: 'AppendDelimiterToRecord',
            Parameters: [{ ParameterName: 'Delimiter', ParameterValue: '\\n' }],
          },
        ],
      },
    });
  });

  it.each(
    loadCorpus()
      .filter((c) => c.table === 'conversations' && c.expected !== null)
      .map((c) => [c.name, c]),
  )('extracts the UTC hour of %s with jq as the lake partitions it', (_name, fixture) => {
    // Prepare
    const record = JSON.parse(fixture.rawText) as { timestamp: number };

    // Act
    const keys = JSON.parse(
      execFileSync('jq', ['-c', conversationPartitionQuery], { input: fixture.rawText, encoding: 'utf8' }),
    );

    // Assert
    expect(`${keys.year}/${keys.month}/${keys.day}/${keys.hour}`).toBe(partitionPathOf(record.timestamp));
  });

  it('fails the jq query for a record without a numeric timestamp, so Firehose sends it to the error prefix', () => {
    // Act
    const run = () =>
      execFileSync('jq', ['-c', conversationPartitionQuery], {
        input: '{"timestamp":"yesterday"}',
        stdio: 'pipe',
      });

    // Assert
    expect(run).toThrow(/cannot be divided/);
  });
});

describe('IngestionStack Glue catalog', () => {
  it('creates the database the sample queries name', () => {
    expect(only(template, 'AWS::Glue::Database').DatabaseInput).toMatchObject({ Name: glueDatabaseName });
  });

  it.each([
    [eventTable.glueName, eventTable, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'],
    [conversationTable.glueName, conversationTable, 'org.openx.data.jsonserde.JsonSerDe'],
  ] as const)('derives the columns of %s from the canonical model', (name, schema, serde) => {
    // Act
    const table = only(template, 'AWS::Glue::Table', { TableInput: Match.objectLike({ Name: name }) });

    // Assert
    const input = table.TableInput as { StorageDescriptor: Record<string, unknown>; PartitionKeys: unknown };
    expect(table.DatabaseName).toBe(glueDatabaseName);
    expect(input.StorageDescriptor.Columns).toEqual(
      glueColumnsOf(schema).map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    );
    expect(input.StorageDescriptor.SerdeInfo).toMatchObject({ SerializationLibrary: serde });
    expect(input.PartitionKeys).toEqual([
      { Name: 'ingest_timestamp', Type: 'timestamp', Comment: expect.any(String) },
    ]);
  });

  it.each([eventTable, conversationTable])(
    'projects hourly ingest_timestamp partitions of $glueName',
    (schema) => {
      // Act
      const table = only(template, 'AWS::Glue::Table', {
        TableInput: Match.objectLike({ Name: schema.glueName }),
      });

      // Assert
      const parameters = (table.TableInput as { Parameters: Record<string, unknown> }).Parameters;
      expect(parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.ingest_timestamp.type': 'date',
        'projection.ingest_timestamp.format': 'yyyy/MM/dd/HH',
        'projection.ingest_timestamp.range': '2024/01/01/00,NOW',
        'projection.ingest_timestamp.interval': '1',
        'projection.ingest_timestamp.interval.unit': 'HOURS',
      });
      expect(JSON.stringify(parameters['storage.location.template'])).toMatch(
        new RegExp(`/${schema.prefix}/\\$\\{ingest_timestamp\\}/"\\]\\]\\}$`),
      );
    },
  );

  it('renames the database and tables with the names prefix', () => {
    // Act
    const names = Object.values(acme.findResources('AWS::Glue::Table') as Resources).map(
      (t) => `${t.Properties.DatabaseName}.${(t.Properties.TableInput as { Name: string }).Name}`,
    );

    // Assert
    expect(names.sort()).toEqual(['acme-glue-db.acme-conversations-table', 'acme-glue-db.acme-events-table']);
  });
});

describe('IngestionStack sources', () => {
  it('publishes all ten SES event types to the events stream', () => {
    // Prepare
    const streamId = logicalIdOf(template, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: eventTable.deliveryStreamName,
    });

    // Act
    const destination = only(template, 'AWS::SES::ConfigurationSetEventDestination');

    // Assert
    expect(only(template, 'AWS::SES::ConfigurationSet').Name).toBe('engagementdb-email-events');
    const eventDestination = destination.EventDestination as Record<string, unknown>;
    expect(destination.ConfigurationSetName).toBe('engagementdb-email-events');
    expect([...(eventDestination.MatchingEventTypes as string[])].sort()).toEqual([
      'bounce',
      'click',
      'complaint',
      'delivery',
      'deliveryDelay',
      'open',
      'reject',
      'renderingFailure',
      'send',
      'subscription',
    ]);
    expect(eventDestination.KinesisFirehoseDestination).toMatchObject({
      DeliveryStreamARN: { 'Fn::GetAtt': [streamId, 'Arn'] },
    });
  });

  it('lets only SES for this configuration set assume the SES role', () => {
    // Act
    const role = only(template, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' } })],
      },
    });

    // Assert
    const condition = JSON.stringify(
      (role.AssumeRolePolicyDocument as { Statement: { Condition: unknown }[] }).Statement[0].Condition,
    );
    expect(condition).toContain('aws:SourceAccount');
    expect(condition).toContain(':configuration-set/engagementdb-email-events');
  });

  it('publishes all End User Messaging SMS/Voice events to the events stream', () => {
    // Act
    const configurationSet = only(template, 'AWS::SMSVOICE::ConfigurationSet');

    // Assert
    expect(configurationSet).toMatchObject({
      ConfigurationSetName: 'engagementdb-sms-voice-events',
      EventDestinations: [
        {
          Enabled: true,
          MatchingEventTypes: ['ALL'],
          KinesisFirehoseDestination: {
            DeliveryStreamArn: { 'Fn::GetAtt': [expect.stringMatching(/^EventsStream/), 'Arn'] },
            IamRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^SourcesSmsVoiceRole/), 'Arn'] },
          },
        },
      ],
    });
  });

  it('subscribes no SNS topic when WhatsApp is off', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes the events stream to the WhatsApp topic when WhatsApp is on', () => {
    // Prepare
    const streamId = logicalIdOf(acme, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-events',
    });

    // Act
    const subscription = only(acme, 'AWS::SNS::Subscription');

    // Assert
    expect(subscription).toMatchObject({
      TopicArn: whatsappTopicArn,
      Protocol: 'firehose',
      Endpoint: { 'Fn::GetAtt': [streamId, 'Arn'] },
      SubscriptionRoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    });
  });

  it('lets every source role put records on the events stream only', () => {
    // Act
    const putStatements = policyStatements(template).filter((s) =>
      JSON.stringify(s.Action).includes('firehose:PutRecord'),
    );

    // Assert
    expect(putStatements).toHaveLength(2);
    for (const statement of putStatements) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventsStream/), 'Arn'] });
    }
  });
});

describe('IngestionStack permissions', () => {
  it.each([
    ['default', () => template],
    ['configured', () => acme],
  ])('names a resource in every IAM statement (%s config)', (_name, templateOf) => {
    // Act
    const statements = policyStatements(templateOf());

    // Assert
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) expect([statement.Resource].flat()).not.toContain('*');
  });
});

describe('IngestionStack alarms', () => {
  it('alarms on records the transformer failed, from its EMF metric', () => {
    expect(
      only(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'engagementdb-transformer-records-failed' }),
    ).toMatchObject({
      Namespace: 'EngagementDb',
      MetricName: 'RecordsFailed',
      Dimensions: [{ Name: 'service', Value: 'firehose-transformer' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on transformer Lambda errors', () => {
    expect(
      only(template, 'AWS::CloudWatch::Alarm', { AlarmName: 'engagementdb-transformer-errors' }),
    ).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 1,
    });
  });

  it.each([
    ['engagementdb-events-delivery-failed', 'DeliveryToS3.Success', eventTable.deliveryStreamName],
    ['engagementdb-events-processing-failed', 'ExecuteProcessing.Success', eventTable.deliveryStreamName],
    [
      'engagementdb-conversations-delivery-failed',
      'DeliveryToS3.Success',
      conversationTable.deliveryStreamName,
    ],
  ])('alarms %s when %s of %s drops below 1', (alarmName, metricName, streamName) => {
    expect(only(template, 'AWS::CloudWatch::Alarm', { AlarmName: alarmName })).toMatchObject({
      Namespace: 'AWS/Firehose',
      MetricName: metricName,
      Dimensions: [{ Name: 'DeliveryStreamName', Value: streamName }],
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('IngestionStack outputs', () => {
  it('outputs the stream, bucket, configuration set, Glue and alarm names', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assert
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AccessLogsBucketName',
        'ConversationsDeliveryFailedAlarmName',
        'ConversationsStreamName',
        'ConversationsTableName',
        'EventsBucketName',
        'EventsDeliveryFailedAlarmName',
        'EventsFormatConversionFailedAlarmName',
        'EventsProcessingFailedAlarmName',
        'EventsStreamName',
        'EventsTableName',
        'GlueDatabaseName',
        'SesConfigurationSetName',
        'SmsVoiceConfigurationSetName',
        'TemplatesBucketName',
        'TransformerErrorsAlarmName',
        'TransformerFunctionName',
        'TransformerRecordsFailedAlarmName',
      ].sort(),
    );
    expect(outputs.EventsStreamName.Value).toBe(eventTable.deliveryStreamName);
    expect(outputs.ConversationsStreamName.Value).toBe(conversationTable.deliveryStreamName);
    expect(outputs.GlueDatabaseName.Value).toBe(glueDatabaseName);
    expect(outputs.SesConfigurationSetName.Value).toBe('engagementdb-email-events');
  });
});
