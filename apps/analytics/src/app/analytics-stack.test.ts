import { Template } from 'aws-cdk-lib/assertions';
import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import { rolePermissionsOf } from '@engagement-db/cdk-kit/testing';
import { type AnalyticsView, analyticsViews, createViewStatement, sampleQueries } from '@engagement-db/sql';
import { removeTestOutdirs, testStack, thrownBy } from '../../test/test-stack';
import { sqlHashOf } from '../handlers/athena-view-properties';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

let template: Template;
let acme: Template;

beforeAll(() => {
  template = Template.fromStack(testStack());
  acme = Template.fromStack(
    testStack({
      namesPrefix: 'acme',
      bytesScannedCutoffMb: 50,
      queryResultRetentionDays: 3,
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

function ofType(t: Template, type: string): [string, Resource][] {
  return Object.entries(resourcesOf(t)).filter(([, r]) => r.Type === type);
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
const arn = (service: string, resource: string) =>
  join('arn:', partition, `:${service}:`, region, ':', account, `:${resource}`);

describe('AnalyticsStack views', () => {
  it.each([
    ['default', 'engagementdb', () => template],
    ['acme', 'acme', () => acme],
  ])(
    'gives every view’s resource exactly createViewStatement(view, names) and its hash (%s prefix)',
    (_case, prefix, templateOf) => {
      // Prepare
      const names = sharedResourceNamesOf(prefix);
      const tables = {
        database: names.glueDatabase,
        eventsTable: names.eventsTable,
        conversationsTable: names.conversationsTable,
      };
      const [, workgroup] = only(templateOf(), 'AWS::Athena::WorkGroup');

      // Act
      const views = ofType(templateOf(), 'Custom::AthenaView').map(([, r]) => r.Properties);

      // Assert
      expect(views.map(({ ServiceToken: _token, ...properties }) => properties)).toEqual(
        analyticsViews.map((view) => ({
          Database: names.glueDatabase,
          ViewName: view.name,
          Statement: createViewStatement(view, tables),
          SqlHash: sqlHashOf(createViewStatement(view, tables)),
          WorkGroup: { Ref: expect.stringMatching(/^Workgroup/) },
        })),
      );
      expect(workgroup.Properties.Name).toBe(names.athenaWorkgroup);
    },
  );

  it('creates each view after the views it reads, and no other order is imposed', () => {
    // Act
    const dependsOn = Object.fromEntries(
      ofType(template, 'Custom::AthenaView').map(([, r]) => [
        r.Properties.ViewName as string,
        (r.DependsOn ?? []).map((dependency) => resourcesOf(template)[dependency].Properties.ViewName),
      ]),
    );

    // Assert
    expect(dependsOn).toEqual(
      Object.fromEntries(analyticsViews.map((view) => [view.name, [...view.dependsOn]])),
    );
    expect(analyticsViews.some((view) => view.dependsOn.length > 0)).toBe(true);
  });

  it('refuses views listed before a view they read, naming both', () => {
    // Prepare
    const reversed: AnalyticsView[] = [...analyticsViews].reverse();
    const reader = reversed.find((view) => view.dependsOn.length > 0) as AnalyticsView;

    // Act
    const error = thrownBy(() => testStack({}, reversed));

    // Assert
    expect(error.message).toBe(
      `The view ${reader.name} reads ${reader.dependsOn[0]}, which is not an analytics view listed before it; ` +
        'expected analyticsViews in dependency order. Fix: list each view after the views it reads.',
    );
  });

  it('saves the seven sample queries, then one example per view, in the workgroup and database', () => {
    // Act
    const saved = ofType(acme, 'AWS::Athena::NamedQuery').map(([, r]) => r.Properties);

    // Assert
    expect(saved.map((q) => q.Name)).toEqual([
      ...Object.values(sampleQueries).map((q) => q.title),
      ...analyticsViews.map((view) => expect.stringMatching(new RegExp(`^${view.name}: `))),
    ]);
    for (const query of saved) {
      expect(query).toMatchObject({
        Database: 'acme-glue-db',
        WorkGroup: { Ref: expect.stringMatching(/^Workgroup/) },
      });
      expect(query.QueryString).not.toMatch(/engagementdb/);
    }
  });
});

describe('AnalyticsStack composition', () => {
  it('passes the configured cutoff and retentions to the constructs', () => {
    // Act
    const [, workgroup] = only(acme, 'AWS::Athena::WorkGroup');
    const retentions = ofType(acme, 'AWS::Logs::LogGroup').map(([, r]) => r.Properties.RetentionInDays);

    // Assert
    expect(workgroup.Properties.WorkGroupConfiguration).toMatchObject({
      BytesScannedCutoffPerQuery: 50_000_000,
    });
    expect(retentions).toEqual([90, 90, 90]);
    only(acme, 'AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          { Id: 'expire-query-results', ExpirationInDays: 3, Status: 'Enabled' },
          {
            Id: 'abort-incomplete-uploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it('reads the events bucket name from the parameter the ingestion app writes, and publishes the results bucket name', () => {
    // Prepare
    const names = sharedResourceNamesOf('acme');
    const [resultsBucket] = only(acme, 'AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'query-results-bucket/' },
    });

    // Act
    const parameters = acme.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    const outputs = acme.toJSON().Outputs as Record<string, { Value: unknown }>;
    const [, published] = only(acme, 'AWS::SSM::Parameter');

    // Assert
    const [lakeParameter] = Object.entries(parameters).filter(([id]) => id.startsWith('SsmParameterValue'));
    expect(lakeParameter[1]).toEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: names.parameters.eventsBucketName,
    });
    expect(outputs.LakeBucketName.Value).toEqual({ Ref: lakeParameter[0] });
    expect(published.Properties).toMatchObject({
      Name: names.parameters.queryResultsBucketName,
      Type: 'String',
      Value: { Ref: resultsBucket },
    });
  });

  it('outputs what QuickSight’s role will read: the workgroup, the results bucket and location, the lake bucket', () => {
    // Act
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;

    // Assert
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AccessLogsBucketName',
        'GlueDatabaseName',
        'LakeBucketName',
        'QueryResultsBucketName',
        'QueryResultsLocation',
        'ViewNames',
        'WorkgroupName',
      ].sort(),
    );
    expect(outputs.WorkgroupName.Value).toEqual({ Ref: expect.stringMatching(/^Workgroup/) });
    expect(outputs.QueryResultsLocation.Value).toEqual(
      join('s3://', { Ref: expect.stringMatching(/^BucketsResults/) }, '/results/'),
    );
    expect(outputs.GlueDatabaseName.Value).toBe('engagementdb-glue-db');
    expect(outputs.ViewNames.Value).toBe(analyticsViews.map((view) => view.name).join(','));
    expect(outputs.LakeBucketName.Description).toBe(
      "QuickSight's role reads the lake here (events/, conversations/), read only",
    );
  });
});

/** Every role of a template: who may assume it, its managed policies and the statements of its policies. */
const permissionsOf = (t: Template) => rolePermissionsOf(t.toJSON());

describe('AnalyticsStack permissions', () => {
  it('grants every role exactly these statements, and nothing else exists that grants', () => {
    // Prepare
    const lambdaTrust = [
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ];
    const roleOf = (id: string) =>
      (resourcesOf(acme)[id].Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const [onEvent] = only(acme, 'AWS::Lambda::Function', { FunctionName: 'acme-athena-view-on-event' });
    const [isComplete] = only(acme, 'AWS::Lambda::Function', {
      FunctionName: 'acme-athena-view-is-complete',
    });
    const [onEventLogs] = only(acme, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/acme-athena-view-on-event',
    });
    const [isCompleteLogs] = only(acme, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/acme-athena-view-is-complete',
    });
    const [frameworkLogs] = ofType(acme, 'AWS::Logs::LogGroup').find(([id]) =>
      id.includes('FrameworkLogs'),
    ) as [string, Resource];
    const framework = (name: string) =>
      (
        ofType(acme, 'AWS::Lambda::Function').find(([id]) => id.includes(`framework${name}`)) as [
          string,
          Resource,
        ]
      )[0];
    const [results] = only(acme, 'AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'query-results-bucket/' },
    });
    const [waiter, machine] = only(acme, 'AWS::StepFunctions::StateMachine');
    const workgroupArn = arn('athena', 'workgroup/');
    (workgroupArn['Fn::Join'][1] as unknown[]).push({ Ref: only(acme, 'AWS::Athena::WorkGroup')[0] });
    const catalogAndDatabase = [arn('glue', 'catalog'), arn('glue', 'database/acme-glue-db')];
    const logsOf = (group: string) => ({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: getAtt(group),
    });
    const invoke = (fn: string) => [
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: [getAtt(fn), join(getAtt(fn), ':*')] },
      { Action: 'lambda:GetFunction', Effect: 'Allow', Resource: getAtt(fn) },
    ];
    const frameworkRoleOf = (name: string) => roleOf(framework(name));

    // Act
    const permissions = permissionsOf(acme);

    // Assert
    expect(permissions).toEqual({
      [roleOf(onEvent)]: {
        trust: lambdaTrust,
        managed: undefined,
        statements: [
          logsOf(onEventLogs),
          { Action: 'athena:StartQueryExecution', Effect: 'Allow', Resource: workgroupArn },
          {
            Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
            Effect: 'Allow',
            Resource: getAtt(results),
          },
          {
            Action: [
              's3:GetObject',
              's3:PutObject',
              's3:AbortMultipartUpload',
              's3:ListMultipartUploadParts',
            ],
            Effect: 'Allow',
            Resource: join(getAtt(results), '/results/*'),
          },
          { Action: 'glue:GetDatabase', Effect: 'Allow', Resource: catalogAndDatabase },
          {
            Action: ['glue:GetTable', 'glue:DeleteTable'],
            Effect: 'Allow',
            Resource: [...catalogAndDatabase, arn('glue', 'table/acme-glue-db/*')],
          },
          {
            Action: ['glue:CreateTable', 'glue:UpdateTable'],
            Effect: 'Allow',
            Resource: [
              ...catalogAndDatabase,
              ...analyticsViews.map((view) => arn('glue', `table/acme-glue-db/${view.name}`)),
            ],
          },
          {
            Action: ['glue:DeleteTable', 'glue:UpdateTable'],
            Effect: 'Deny',
            Resource: [
              arn('glue', 'table/acme-glue-db/acme-events-table'),
              arn('glue', 'table/acme-glue-db/acme-conversations-table'),
            ],
          },
        ],
      },
      [roleOf(isComplete)]: {
        trust: lambdaTrust,
        managed: undefined,
        statements: [
          logsOf(isCompleteLogs),
          { Action: 'athena:GetQueryExecution', Effect: 'Allow', Resource: workgroupArn },
        ],
      },
      // aws-cdk-lib's provider framework: its grants are aws-cdk-lib's, asserted so a change is seen.
      [frameworkRoleOf('onEvent')]: {
        trust: lambdaTrust,
        managed: undefined,
        statements: [
          logsOf(frameworkLogs),
          ...invoke(onEvent),
          ...invoke(isComplete),
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: waiter } },
        ],
      },
      [frameworkRoleOf('isComplete')]: {
        trust: lambdaTrust,
        managed: undefined,
        statements: [logsOf(frameworkLogs), ...invoke(onEvent), ...invoke(isComplete)],
      },
      [(machine.Properties.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]]: {
        trust: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' } },
        ],
        managed: undefined,
        statements: [
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: [getAtt(framework('isComplete')), join(getAtt(framework('isComplete')), ':*')],
          },
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: [getAtt(framework('onTimeout')), join(getAtt(framework('onTimeout')), ':*')],
          },
        ],
      },
    });
    expect(roleOf(framework('onTimeout'))).toBe(frameworkRoleOf('isComplete'));
  });

  it('has no other policy: the bucket policies only deny plain HTTP and let S3 deliver access logs', () => {
    // Prepare
    const [accessLogs] = only(acme, 'AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 90, Status: 'Enabled' }],
      },
    });
    const [results] = only(acme, 'AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'query-results-bucket/' },
    });
    const denyPlainHttp = (bucket: string) => ({
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Resource: [getAtt(bucket), join(getAtt(bucket), '/*')],
    });

    // Act
    const policies = Object.values(resourcesOf(acme))
      .filter((r) => r.Type.endsWith('Policy') && r.Type !== 'AWS::IAM::Policy')
      .map((r) => [r.Type, r.Properties.Bucket, r.Properties.PolicyDocument]);

    // Assert
    expect(policies).toEqual([
      [
        'AWS::S3::BucketPolicy',
        { Ref: accessLogs },
        {
          Statement: [
            denyPlainHttp(accessLogs),
            {
              Action: 's3:PutObject',
              Condition: {
                ArnLike: { 'aws:SourceArn': getAtt(results) },
                StringEquals: { 'aws:SourceAccount': account },
              },
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Resource: join(getAtt(accessLogs), '/query-results-bucket/*'),
            },
          ],
          Version: '2012-10-17',
        },
      ],
      [
        'AWS::S3::BucketPolicy',
        { Ref: results },
        { Statement: [denyPlainHttp(results)], Version: '2012-10-17' },
      ],
    ]);
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
