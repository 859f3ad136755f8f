import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import { rolePermissionsOf } from '@engagement-db/cdk-kit/testing';
import { engagementDashboard } from '@engagement-db/dashboards';
import { analyticsViews } from '@engagement-db/sql';
import { definitionOf, ofType, removeTestOutdirs, resourcesOf, testStack } from '../../test/test-stack';
import { ownerActions } from '../constructs/quicksight-permissions';
import { quickSightTypeOf } from '../definition/view-columns';

const alice = 'arn:aws:quicksight:us-east-1:123456789012:user/default/alice';
const analysts = 'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts';

let template: Template;
let acme: Template;

beforeAll(() => {
  template = Template.fromStack(testStack());
  acme = Template.fromStack(
    testStack({
      namesPrefix: 'acme',
      principalArn: analysts,
      edition: 'ENTERPRISE',
      spice: true,
      spiceRefreshSchedule: 'WEEKLY MONDAY 04:30',
    }),
  );
});

afterAll(() => {
  removeTestOutdirs();
});

const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const idOf = (t: Template, type: string) => {
  const found = ofType(t, type);
  expect(found).toHaveLength(1);
  return found[0][0];
};
/** The SSM parameter (a template parameter) holding the named shared parameter's value. */
const parameterRef = (t: Template, name: string) => {
  const parameters = t.toJSON().Parameters as Record<string, { Default?: string }>;
  const found = Object.entries(parameters).filter(([, parameter]) => parameter.Default === name);
  expect(found).toHaveLength(1);
  return { Ref: found[0][0] };
};

describe('QuickSightStack datasets', () => {
  it('makes one dataset per dataset of the definition, over its view with the view’s columns QuickSight reads', () => {
    // Prepare
    const dataSource = idOf(template, 'AWS::QuickSight::DataSource');

    // Act
    const dataSets = ofType(template, 'AWS::QuickSight::DataSet').map(([, r]) => r.Properties);

    // Assert
    expect(dataSets).toEqual(
      engagementDashboard.datasets.map((dataset) => {
        const view = analyticsViews.find((candidate) => candidate.name === dataset.view)!;
        return {
          AwsAccountId: { Ref: 'AWS::AccountId' },
          DataSetId: `engagementdb-${dataset.id}`,
          Name: `engagement-db ${dataset.view}`,
          ImportMode: 'DIRECT_QUERY',
          PhysicalTableMap: {
            view: {
              RelationalTable: {
                DataSourceArn: getAtt(dataSource),
                Catalog: 'AwsDataCatalog',
                Schema: 'engagementdb-glue-db',
                Name: view.name,
                InputColumns: view.columns
                  .filter((column) => quickSightTypeOf(column.type) !== undefined)
                  .map((column) => ({ Name: column.name, Type: quickSightTypeOf(column.type) })),
              },
            },
          },
        };
      }),
    );
    // The tags maps of the message views have no QuickSight type and are left out.
    expect(analyticsViews.flatMap((view) => view.columns).some((c) => c.type.startsWith('map('))).toBe(true);
  });

  it('declares each dataset in the dashboard and the analysis by the ARN of the dataset made for it', () => {
    // Prepare
    const dataSetIds = Object.fromEntries(
      ofType(template, 'AWS::QuickSight::DataSet').map(([id, r]) => [
        (r.Properties.DataSetId as string).replace('engagementdb-', ''),
        id,
      ]),
    );

    // Act
    const declarations = ['AWS::QuickSight::Dashboard', 'AWS::QuickSight::Analysis'].map(
      (type) => definitionOf(template, type).DataSetIdentifierDeclarations,
    );

    // Assert
    const expected = engagementDashboard.datasets.map((dataset) => ({
      Identifier: dataset.id,
      DataSetArn: getAtt(dataSetIds[dataset.id]),
    }));
    expect(declarations).toEqual([expected, expected]);
  });

  it('copies each view into SPICE with a full refresh on the configured schedule when SPICE is chosen', () => {
    // Act
    const modes = ofType(acme, 'AWS::QuickSight::DataSet').map(([, r]) => r.Properties.ImportMode);
    const schedules = ofType(acme, 'AWS::QuickSight::RefreshSchedule').map(([, r]) => r.Properties);

    // Assert
    expect(new Set(modes)).toEqual(new Set(['SPICE']));
    expect(schedules).toEqual(
      engagementDashboard.datasets.map((dataset) => ({
        AwsAccountId: { Ref: 'AWS::AccountId' },
        DataSetId: `acme-${dataset.id}`,
        Schedule: {
          ScheduleId: `acme-${dataset.id}-refresh`,
          RefreshType: 'FULL_REFRESH',
          ScheduleFrequency: {
            Interval: 'WEEKLY',
            TimeZone: 'UTC',
            TimeOfTheDay: '04:30',
            RefreshOnDay: { DayOfWeek: 'MONDAY' },
          },
        },
      })),
    );
    expect(ofType(template, 'AWS::QuickSight::RefreshSchedule')).toEqual([]);
  });
});

describe('QuickSightStack dashboard and analysis', () => {
  it('deploys the compiled definition as the dashboard and the analysis, both validated STRICT', () => {
    // Act
    const [dashboard, analysis] = ['AWS::QuickSight::Dashboard', 'AWS::QuickSight::Analysis'].map(
      (type) => ofType(acme, type)[0][1].Properties,
    );

    // Assert
    expect(dashboard).toMatchObject({
      DashboardId: 'acme-engagement',
      Name: engagementDashboard.title,
      ValidationStrategy: { Mode: 'STRICT' },
      DashboardPublishOptions: {
        SheetControlsOption: { VisibilityState: 'EXPANDED' },
        ExportToCSVOption: { AvailabilityStatus: 'ENABLED' },
      },
    });
    expect(analysis).toMatchObject({
      AnalysisId: 'acme-engagement-analysis',
      Name: `${engagementDashboard.title} (analysis)`,
      ValidationStrategy: { Mode: 'STRICT' },
    });
    expect(analysis.Definition).toEqual(dashboard.Definition);
    expect(
      (dashboard.Definition as { Sheets: { SheetId: string }[] }).Sheets.map((sheet) => sheet.SheetId),
    ).toEqual(engagementDashboard.sheets.map((sheet) => sheet.id));
  });

  it('outputs where to open the dashboard and edit the analysis, and the role QuickSight queries as', () => {
    // Act
    const outputs = acme.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Assert
    const console = (path: string) => ({
      'Fn::Join': ['', ['https://', { Ref: 'AWS::Region' }, `.quicksight.aws.amazon.com/sn/${path}`]],
    });
    expect(Object.fromEntries(Object.entries(outputs).map(([id, output]) => [id, output.Value]))).toEqual({
      DashboardId: 'acme-engagement',
      DashboardUrl: console('dashboards/acme-engagement'),
      AnalysisUrl: console('analyses/acme-engagement-analysis'),
      DataSourceRoleArn: getAtt(idOf(acme, 'AWS::IAM::Role')),
    });
  });
});

describe('QuickSightStack permissions', () => {
  it('queries the analytics workgroup as a role that reads only the lake and results buckets', () => {
    // Prepare
    const names = sharedResourceNamesOf('acme');
    const role = idOf(acme, 'AWS::IAM::Role');
    const lake = parameterRef(acme, names.parameters.eventsBucketName);
    const results = parameterRef(acme, names.parameters.queryResultsBucketName);
    const arn = (service: string, resource: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:${service}:`,
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:${resource}`,
        ],
      ],
    });
    const s3 = (...parts: unknown[]) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', ...parts]],
    });

    // Act
    const permissions = rolePermissionsOf(acme.toJSON());
    const dataSource = ofType(acme, 'AWS::QuickSight::DataSource')[0][1].Properties;

    // Assert
    expect(dataSource.DataSourceParameters).toEqual({
      AthenaParameters: { WorkGroup: names.athenaWorkgroup, RoleArn: getAtt(role) },
    });
    expect(permissions).toEqual({
      [role]: {
        trust: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'quicksight.amazonaws.com' } },
        ],
        managed: undefined,
        statements: [
          {
            Action: [
              'athena:GetWorkGroup',
              'athena:StartQueryExecution',
              'athena:StopQueryExecution',
              'athena:GetQueryExecution',
              'athena:GetQueryResults',
              'athena:GetQueryResultsStream',
            ],
            Effect: 'Allow',
            Resource: arn('athena', `workgroup/${names.athenaWorkgroup}`),
          },
          {
            Action: [
              'glue:GetDatabase',
              'glue:GetTable',
              'glue:GetTables',
              'glue:GetPartition',
              'glue:GetPartitions',
            ],
            Effect: 'Allow',
            Resource: [
              arn('glue', 'catalog'),
              arn('glue', `database/${names.glueDatabase}`),
              ...[
                names.eventsTable,
                names.conversationsTable,
                ...analyticsViews.map((view) => view.name),
              ].map((table) => arn('glue', `table/${names.glueDatabase}/${table}`)),
            ],
          },
          { Action: ['s3:GetBucketLocation', 's3:ListBucket'], Effect: 'Allow', Resource: s3(lake) },
          {
            Action: 's3:GetObject',
            Effect: 'Allow',
            Resource: [s3(lake, '/events/*'), s3(lake, '/conversations/*')],
          },
          {
            Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
            Effect: 'Allow',
            Resource: s3(results),
          },
          {
            Action: [
              's3:GetObject',
              's3:PutObject',
              's3:AbortMultipartUpload',
              's3:ListMultipartUploadParts',
            ],
            Effect: 'Allow',
            Resource: s3(results, '/results/*'),
          },
        ],
      },
    });
  });

  it('makes the configured principal owner of the data source, every dataset, the dashboard and the analysis', () => {
    // Act
    const permissions = Object.values(resourcesOf(acme))
      .filter((r) => r.Type.startsWith('AWS::QuickSight::') && r.Type !== 'AWS::QuickSight::RefreshSchedule')
      .map((r) => [r.Type, r.Properties.Permissions]);

    // Assert
    const owner = (actions: readonly string[]) => [{ Principal: analysts, Actions: [...actions] }];
    expect(permissions).toEqual([
      ['AWS::QuickSight::DataSource', owner(ownerActions.dataSource)],
      ...engagementDashboard.datasets.map(() => ['AWS::QuickSight::DataSet', owner(ownerActions.dataSet)]),
      ['AWS::QuickSight::Dashboard', owner(ownerActions.dashboard)],
      ['AWS::QuickSight::Analysis', owner(ownerActions.analysis)],
    ]);
  });

  it('grants nobody without a principal, and warns that nobody could open the dashboard', () => {
    // Prepare
    const stack = testStack();

    // Act
    const granted = Object.values(resourcesOf(template)).filter(
      (r) => r.Properties?.Permissions !== undefined,
    );
    const noPrincipal = Match.stringLikeRegexp('^No principalArn is configured');
    const warnings = Annotations.fromStack(stack).findWarning('*', noPrincipal);
    const withUser = Annotations.fromStack(testStack({ principalArn: alice })).findWarning('*', noPrincipal);

    // Assert
    expect(granted).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/Fix: npm run configure -w apps\/quicksight -- --principal-arn /);
    expect(withUser).toEqual([]);
  });
});
