import { Match, Template } from 'aws-cdk-lib/assertions';
import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import { rolePermissionsOf } from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testStack } from '../../test/test-stack';
import { canonicalGlueDatabaseName, canonicalTables } from '../config/canonical-tables';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

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
      eventsBufferSizeMiB: 64,
      eventsBufferIntervalSeconds: 900,
      transformerBufferSizeMiB: 2,
      conversationsBufferIntervalSeconds: 120,
      dataRetentionDays: 400,
      logRetentionDays: 90,
    }),
  );
});

afterAll(() => {
  removeTestOutdirs();
});

function resourcesOf(t: Template): Record<string, Resource> {
  return t.toJSON().Resources as Record<string, Resource>;
}

/** The one resource of a type whose properties match, by logical id. */
function only(t: Template, type: string, props: Record<string, unknown> = {}): [string, Resource] {
  const found = Object.entries(t.findResources(type, { Properties: props }) as Record<string, Resource>);
  expect(found).toHaveLength(1);
  return found[0];
}

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const join = (...parts: unknown[]) => ({ 'Fn::Join': ['', parts] });
const partition = { Ref: 'AWS::Partition' };
const region = { Ref: 'AWS::Region' };
const account = { Ref: 'AWS::AccountId' };

describe('IngestionStack composition', () => {
  it('names every resource after the names prefix', () => {
    // Act
    const names = {
      streams: Object.values(resourcesOf(acme))
        .filter((r) => r.Type === 'AWS::KinesisFirehose::DeliveryStream')
        .map((r) => r.Properties.DeliveryStreamName),
      tables: Object.values(resourcesOf(acme))
        .filter((r) => r.Type === 'AWS::Glue::Table')
        .map((r) => `${r.Properties.DatabaseName}.${(r.Properties.TableInput as { Name: string }).Name}`),
    };

    // Assert
    expect(names).toEqual({
      streams: ['acme-events', 'acme-conversations'],
      tables: ['acme-glue-db.acme-events-table', 'acme-glue-db.acme-conversations-table'],
    });
    only(acme, 'AWS::Lambda::Function', { FunctionName: 'acme-firehose-transformer' });
    only(acme, 'AWS::SES::ConfigurationSet', { Name: 'acme-email-events' });
    only(acme, 'AWS::SMSVOICE::ConfigurationSet', { ConfigurationSetName: 'acme-sms-voice-events' });
  });

  it('publishes the events bucket name and uses the Glue names the later apps take from cdk-kit', () => {
    // Prepare
    const shared = sharedResourceNamesOf('acme');
    const [eventsBucket] = only(acme, 'AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'events-bucket/' },
    });

    // Act
    const [, parameter] = only(acme, 'AWS::SSM::Parameter');
    const [, table] = only(acme, 'AWS::Glue::Table', { TableInput: { Name: shared.eventsTable } });

    // Assert
    expect(parameter.Properties).toMatchObject({
      Name: shared.parameters.eventsBucketName,
      Type: 'String',
      Value: { Ref: eventsBucket },
    });
    expect(table.Properties.DatabaseName).toBe(shared.glueDatabase);
    only(acme, 'AWS::Glue::Table', { TableInput: { Name: shared.conversationsTable } });
  });

  it('uses the canonical names with the default prefix', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assert
    expect(outputs.EventsStreamName.Value).toBe(canonicalTables.events.streamName);
    expect(outputs.ConversationsStreamName.Value).toBe(canonicalTables.conversations.streamName);
    expect(outputs.GlueDatabaseName.Value).toBe(canonicalGlueDatabaseName);
    expect(outputs.EventsTableName.Value).toBe(canonicalTables.events.glueName);
    expect(outputs.ConversationsTableName.Value).toBe(canonicalTables.conversations.glueName);
  });

  it('wires the events stream to the transformer, and the transformer to the templates bucket it is filled from', () => {
    // Prepare
    const [templatesBucket] = only(acme, 'AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const [fnId, fn] = only(acme, 'AWS::Lambda::Function', { FunctionName: 'acme-firehose-transformer' });
    const [deploymentId] = only(acme, 'Custom::CDKBucketDeployment');

    // Act
    const [, stream] = only(acme, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-events',
    });

    // Assert
    const destination = stream.Properties.ExtendedS3DestinationConfiguration as {
      ProcessingConfiguration: {
        Processors: { Parameters: { ParameterName: string; ParameterValue: unknown }[] }[];
      };
    };
    expect(destination.ProcessingConfiguration.Processors[0].Parameters).toEqual([
      { ParameterName: 'LambdaArn', ParameterValue: getAtt(fnId) },
      { ParameterName: 'BufferSizeInMBs', ParameterValue: '2' },
      { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '60' },
      { ParameterName: 'NumberOfRetries', ParameterValue: '3' },
    ]);
    expect(fn.Properties.Environment).toMatchObject({
      Variables: { TEMPLATES_BUCKET: { Ref: templatesBucket } },
    });
    expect(fn.DependsOn).toContain(deploymentId);
    only(acme, 'Custom::CDKBucketDeployment', { DestinationBucketName: { Ref: templatesBucket } });
  });

  it('passes the configured buffers and retentions to the constructs', () => {
    // Act
    const [, events] = only(acme, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-events',
    });
    const [, conversations] = only(acme, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-conversations',
    });

    // Assert
    expect(events.Properties.ExtendedS3DestinationConfiguration).toMatchObject({
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 900 },
    });
    expect(conversations.Properties.ExtendedS3DestinationConfiguration).toMatchObject({
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 120 },
    });
    const retentions = Object.values(resourcesOf(acme))
      .filter((r) => r.Type === 'AWS::Logs::LogGroup')
      .map((r) => r.Properties.RetentionInDays);
    expect(retentions).toEqual([90, 90, 90]);
    only(acme, 'AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          { Id: 'expire-events', Prefix: 'events/', ExpirationInDays: 400, Status: 'Enabled' },
        ]),
      },
    });
  });

  it('puts the sources on the events stream and watches the stack’s own streams and transformer', () => {
    // Prepare
    const [streamId] = only(acme, 'AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'acme-events',
    });

    // Act
    const subscription = only(acme, 'AWS::SNS::Subscription')[1];
    const alarmDimensions = Object.values(resourcesOf(acme))
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => [r.Properties.AlarmName, r.Properties.Dimensions]);

    // Assert
    expect(subscription.Properties).toMatchObject({ TopicArn: whatsappTopicArn, Endpoint: getAtt(streamId) });
    expect(alarmDimensions).toEqual([
      ['acme-transformer-records-failed', [{ Name: 'service', Value: 'firehose-transformer' }]],
      [
        'acme-transformer-errors',
        [{ Name: 'FunctionName', Value: { Ref: expect.stringMatching(/^TransformerFunction/) } }],
      ],
      ['acme-events-format-conversion-failed', [{ Name: 'DeliveryStreamName', Value: 'acme-events' }]],
      ['acme-events-processing-failed', [{ Name: 'DeliveryStreamName', Value: 'acme-events' }]],
      ['acme-events-delivery-failed', [{ Name: 'DeliveryStreamName', Value: 'acme-events' }]],
      ['acme-conversations-delivery-failed', [{ Name: 'DeliveryStreamName', Value: 'acme-conversations' }]],
    ]);
  });
});

/** Every role of a template: who may assume it, its managed policies and the statements of its policies. */
const permissionsOf = (t: Template) => rolePermissionsOf(t.toJSON());

describe('IngestionStack permissions', () => {
  it('grants every role exactly these statements, and nothing else exists that grants', () => {
    // Prepare: each role is found through the resource that uses it.
    const idOf = (type: string, props: Record<string, unknown>) => only(acme, type, props)[0];
    const eventsBucket = idOf('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-errors' })]) },
    });
    const templatesBucket = idOf('AWS::S3::Bucket', { VersioningConfiguration: { Status: 'Enabled' } });
    const [fnId, fn] = only(acme, 'AWS::Lambda::Function', { FunctionName: 'acme-firehose-transformer' });
    const transformerLogs = idOf('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/acme-firehose-transformer',
    });
    const roleOf = (arn: unknown) => (arn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const streamOf = (name: string) =>
      only(acme, 'AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: name });
    const [eventsStream, events] = streamOf('acme-events');
    const [, conversations] = streamOf('acme-conversations');
    const destinationRole = (stream: Resource) =>
      roleOf((stream.Properties.ExtendedS3DestinationConfiguration as { RoleARN: unknown }).RoleARN);
    const sesRole = roleOf(
      (
        only(acme, 'AWS::SES::ConfigurationSetEventDestination')[1].Properties.EventDestination as {
          KinesisFirehoseDestination: { IAMRoleARN: unknown };
        }
      ).KinesisFirehoseDestination.IAMRoleARN,
    );
    const smsVoiceRole = roleOf(
      (
        only(acme, 'AWS::SMSVOICE::ConfigurationSet')[1].Properties.EventDestinations as {
          KinesisFirehoseDestination: { IamRoleArn: unknown };
        }[]
      )[0].KinesisFirehoseDestination.IamRoleArn,
    );
    const snsRole = roleOf(only(acme, 'AWS::SNS::Subscription')[1].Properties.SubscriptionRoleArn);
    const [, deploymentHandler] = only(acme, 'AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: Match.stringLikeRegexp('^python'),
    });
    const firehoseLogs = (name: string) =>
      idOf('AWS::Logs::LogGroup', { LogGroupName: `/aws/kinesisfirehose/${name}` });
    const objects = (bucket: string, suffix: string) => join(getAtt(bucket), suffix);
    const lambdaTrust = [
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ];
    const firehoseTrust = [
      {
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': account } },
        Effect: 'Allow',
        Principal: { Service: 'firehose.amazonaws.com' },
      },
    ];
    const deliveryStatements = (stream: string, prefix: string) => [
      {
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Effect: 'Allow',
        Resource: getAtt(eventsBucket),
      },
      {
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Effect: 'Allow',
        Resource: [objects(eventsBucket, `/${prefix}/*`), objects(eventsBucket, `/errors/${prefix}/*`)],
      },
      {
        Action: 'logs:PutLogEvents',
        Effect: 'Allow',
        Resource: join(
          'arn:',
          partition,
          ':logs:',
          region,
          ':',
          account,
          ':log-group:',
          { Ref: firehoseLogs(stream) },
          ':log-stream:DestinationDelivery',
        ),
      },
    ];
    const putRecords = {
      Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      Effect: 'Allow',
      Resource: getAtt(eventsStream),
    };
    const glueArn = (resource: string) => join('arn:', partition, ':glue:', region, ':', account, resource);
    const assetBucket = join('arn:', partition, ':s3:::', {
      'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}',
    });

    // Act
    const permissions = permissionsOf(acme);

    // Assert
    expect(permissions).toEqual({
      [roleOf(fn.Properties.Role)]: {
        trust: lambdaTrust,
        managed: undefined,
        statements: [
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: getAtt(transformerLogs),
          },
          { Action: 's3:GetObject', Effect: 'Allow', Resource: objects(templatesBucket, '/templates/*') },
          {
            Action: 's3:ListBucket',
            Condition: { StringLike: { 's3:prefix': 'templates/*' } },
            Effect: 'Allow',
            Resource: getAtt(templatesBucket),
          },
        ],
      },
      [destinationRole(events)]: {
        trust: firehoseTrust,
        managed: undefined,
        statements: [
          ...deliveryStatements('acme-events', 'events'),
          {
            Action: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
            Effect: 'Allow',
            Resource: getAtt(fnId),
          },
          {
            Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
            Effect: 'Allow',
            Resource: [
              glueArn(':catalog'),
              glueArn(':database/acme-glue-db'),
              glueArn(':table/acme-glue-db/acme-events-table'),
            ],
          },
        ],
      },
      [destinationRole(conversations)]: {
        trust: firehoseTrust,
        managed: undefined,
        statements: deliveryStatements('acme-conversations', 'conversations'),
      },
      [sesRole]: {
        trust: [
          {
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: {
                'aws:SourceAccount': account,
                'aws:SourceArn': join(
                  'arn:',
                  partition,
                  ':ses:',
                  region,
                  ':',
                  account,
                  ':configuration-set/acme-email-events',
                ),
              },
            },
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
          },
        ],
        managed: undefined,
        statements: [putRecords],
      },
      [smsVoiceRole]: {
        trust: [
          {
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
          },
        ],
        managed: undefined,
        statements: [putRecords],
      },
      [snsRole]: {
        trust: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' } }],
        managed: undefined,
        statements: [
          putRecords,
          { Action: 'firehose:DescribeDeliveryStream', Effect: 'Allow', Resource: getAtt(eventsStream) },
        ],
      },
      // aws-cdk-lib's template copier: its grants are aws-cdk-lib's, asserted so a change is seen.
      [roleOf(deploymentHandler.Properties.Role)]: {
        trust: lambdaTrust,
        managed: [join('arn:', partition, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')],
        statements: [
          {
            Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
            Effect: 'Allow',
            Resource: [
              assetBucket,
              join(
                'arn:',
                partition,
                ':s3:::',
                { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
                '/*',
              ),
            ],
          },
          {
            Action: [
              's3:GetObject*',
              's3:GetBucket*',
              's3:List*',
              's3:DeleteObject*',
              's3:PutObject',
              's3:PutObjectLegalHold',
              's3:PutObjectRetention',
              's3:PutObjectTagging',
              's3:PutObjectVersionTagging',
              's3:Abort*',
            ],
            Effect: 'Allow',
            Resource: [getAtt(templatesBucket), objects(templatesBucket, '/*')],
          },
        ],
      },
    });
  });

  it('has no other policy: the bucket policies only deny plain HTTP and let S3 deliver access logs', () => {
    // Prepare
    const buckets = Object.entries(resourcesOf(acme)).filter(([, r]) => r.Type === 'AWS::S3::Bucket');
    const [accessLogs] = only(acme, 'AWS::S3::Bucket', { OwnershipControls: Match.anyValue() });
    const logged = buckets.filter(([, r]) => r.Properties.LoggingConfiguration !== undefined);
    const denyPlainHttp = (bucket: string) => ({
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Resource: [getAtt(bucket), join(getAtt(bucket), '/*')],
    });
    const deliverAccessLogs = ([source, r]: [string, Resource]) => ({
      Action: 's3:PutObject',
      Condition: {
        ArnLike: { 'aws:SourceArn': getAtt(source) },
        StringEquals: { 'aws:SourceAccount': account },
      },
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Resource: join(
        getAtt(accessLogs),
        `/${(r.Properties.LoggingConfiguration as { LogFilePrefix: string }).LogFilePrefix}*`,
      ),
    });

    // Act
    const policies = Object.values(resourcesOf(acme))
      .filter((r) => r.Type.endsWith('Policy') && r.Type !== 'AWS::IAM::Policy')
      .map((r) => [r.Type, r.Properties.Bucket, r.Properties.PolicyDocument]);

    // Assert
    expect(logged).toHaveLength(2);
    expect(policies).toEqual(
      buckets.map(([id]) => [
        'AWS::S3::BucketPolicy',
        { Ref: id },
        {
          Statement:
            id === accessLogs ? [denyPlainHttp(id), ...logged.map(deliverAccessLogs)] : [denyPlainHttp(id)],
          Version: '2012-10-17',
        },
      ]),
    );
  });

  it.each([
    ['default', () => template],
    ['configured', () => acme],
  ])('names a resource in every IAM statement (%s config)', (_name, templateOf) => {
    // Act
    const statements = Object.values(permissionsOf(templateOf())).flatMap((role) => role.statements);

    // Assert
    expect(statements.length).toBeGreaterThan(10);
    for (const statement of statements) expect([statement.Resource].flat()).not.toContain('*');
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
    expect(outputs.SesConfigurationSetName.Value).toBe('engagementdb-email-events');
    expect(outputs.TransformerRecordsFailedAlarmName.Value).toEqual({
      Ref: expect.stringMatching(/^AlarmsTransformerRecordsFailed/),
    });
  });
});
