import { Template } from 'aws-cdk-lib/assertions';
import { InvalidPropsError } from '@engagement-db/cdk-kit';
import { analyticsViews } from '@engagement-db/sql';
import { emptyStack, ofType, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { AthenaDataSource, type AthenaDataSourceProps } from './athena-data-source';
import { principalOf } from './quicksight-permissions';
import { ImportMode, ViewDataSet, parseRefreshSchedule } from './view-data-set';

afterAll(() => {
  removeTestOutdirs();
});

const dataSourceProps: AthenaDataSourceProps = {
  dataSourceId: 'test-athena',
  name: 'test',
  workgroupName: 'test-analytics',
  databaseName: 'test-glue-db',
  tableNames: ['email_message_status'],
  lakeBucketName: 'lake',
  resultsBucketName: 'results',
};
const view = analyticsViews.find((candidate) => candidate.name === 'email_message_status')!;

describe('principalOf', () => {
  it.each([
    [
      'arn:aws:quicksight:us-east-1:123456789012:user/default/alice@example.com',
      {
        kind: 'user',
        identityRegion: 'us-east-1',
        account: '123456789012',
        namespace: 'default',
        name: 'alice@example.com',
      },
    ],
    [
      'arn:aws:quicksight:eu-west-1:123456789012:user/default/Admin/alice',
      {
        kind: 'user',
        identityRegion: 'eu-west-1',
        account: '123456789012',
        namespace: 'default',
        name: 'Admin/alice',
      },
    ],
    [
      'arn:aws-cn:quicksight:cn-north-1:123456789012:group/tenant-a/analysts',
      {
        kind: 'group',
        identityRegion: 'cn-north-1',
        account: '123456789012',
        namespace: 'tenant-a',
        name: 'analysts',
      },
    ],
  ])('reads the identity region, account, namespace and name of %s', (arn, parts) => {
    expect(principalOf(arn)).toEqual({ arn, ...parts });
  });

  it.each([
    'alice',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:quicksight:us-east-1:123456789012:dashboard/engagement',
    'arn:aws:quicksight::123456789012:user/default/alice',
    'arn:aws:quicksight:us-east-1:1234:user/default/alice',
    'arn:aws:quicksight:us-east-1:123456789012:user/default/',
  ])('finds no principal in %s', (arn) => {
    expect(principalOf(arn)).toBeUndefined();
  });
});

describe('parseRefreshSchedule', () => {
  it.each([
    ['HOURLY', { interval: 'HOURLY' }],
    ['DAILY 04:00', { interval: 'DAILY', timeOfDay: '04:00' }],
    ['WEEKLY SUNDAY 23:59', { interval: 'WEEKLY', dayOfWeek: 'SUNDAY', timeOfDay: '23:59' }],
    ['MONTHLY 28 00:00', { interval: 'MONTHLY', dayOfMonth: 28, timeOfDay: '00:00' }],
  ])('reads %s', (text, schedule) => {
    expect(parseRefreshSchedule(text)).toEqual(schedule);
  });

  it.each([
    'hourly',
    'DAILY 4:00',
    'DAILY 24:00',
    'WEEKLY MON 04:00',
    'MONTHLY 29 04:00',
    'MONTHLY 0 04:00',
    '',
  ])('refuses %j', (text) => {
    expect(parseRefreshSchedule(text)).toBeUndefined();
  });
});

describe('AthenaDataSource', () => {
  it('refuses ids, tables and prefixes that would widen or break its grants, listing each', () => {
    // Act
    const error = thrownBy(
      () =>
        new AthenaDataSource(emptyStack(), 'DataSource', {
          ...dataSourceProps,
          dataSourceId: 'engagement db',
          tableNames: ['*'],
          lakePrefixes: ['events'],
          resultsPrefix: '*/',
        }),
    );

    // Assert
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect(error.message.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- dataSourceId is "engagement db"; expected 1 to 128 letters, digits, hyphens or underscores. Fix: pass a dataSourceId such as "engagementdb-athena".',
      '- tableNames is ["*"]; expected at least one Glue table or view name, without "*". Fix: pass the views the datasets read and the lake tables under them.',
      '- lakePrefixes is ["events"]; expected key prefixes ending with "/" and without "*", e.g. ["events/"]. Fix: pass lakePrefixes: ["events/", "conversations/"].',
      '- resultsPrefix is "*/"; expected a key prefix ending with "/" and without "*", e.g. "results/". Fix: pass resultsPrefix: "results/".',
    ]);
  });

  it('refuses an owner that is no QuickSight user or group ARN', () => {
    // Prepare
    const dataSource = new AthenaDataSource(emptyStack(), 'DataSource', dataSourceProps);

    // Act
    const error = thrownBy(() => dataSource.grantOwner('arn:aws:iam::123456789012:role/admin'));

    // Assert
    expect(error).toBeInstanceOf(InvalidPropsError);
    expect(error.message).toMatch(
      /principalArn is "arn:aws:iam::123456789012:role\/admin"; expected a QuickSight user or group ARN, .*Fix: pass the Arn that `aws quicksight describe-user` or `describe-group` prints\./,
    );
  });
});

describe('ViewDataSet', () => {
  it('refuses a refresh schedule with direct query, and a view without a column QuickSight reads', () => {
    // Prepare
    const stack = emptyStack();
    const dataSource = new AthenaDataSource(stack, 'DataSource', dataSourceProps);

    // Act
    const error = thrownBy(
      () =>
        new ViewDataSet(stack, 'DataSet', {
          dataSource,
          dataSetId: 'test-email',
          name: 'test',
          databaseName: 'test-glue-db',
          view: { name: 'tags_only', columns: [{ name: 'tags', type: 'map(varchar,varchar)' }] },
          importMode: ImportMode.directQuery,
          refreshSchedule: { interval: 'DAILY', timeOfDay: '04:00' },
        }),
    );

    // Assert
    expect(error.message.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- view is "tags_only"; expected a view with at least one column QuickSight can read (text, numbers, dates, timestamps). Fix: pass the view with its columns from analyticsViews.',
      '- refreshSchedule is {"interval":"DAILY","timeOfDay":"04:00"}; expected no refresh schedule with direct query (each visual queries Athena). Fix: pass importMode: ImportMode.spice, or leave refreshSchedule out.',
    ]);
  });

  it('refreshes a SPICE copy on the day of the month, after the dataset exists', () => {
    // Prepare
    const stack = emptyStack();
    const dataSource = new AthenaDataSource(stack, 'DataSource', dataSourceProps);

    // Act
    new ViewDataSet(stack, 'DataSet', {
      dataSource,
      dataSetId: 'test-email',
      name: 'test',
      databaseName: 'test-glue-db',
      view,
      importMode: ImportMode.spice,
      refreshSchedule: { interval: 'MONTHLY', dayOfMonth: 1, timeOfDay: '02:15' },
    });
    const template = Template.fromStack(stack);
    const [[dataSetId]] = ofType(template, 'AWS::QuickSight::DataSet');
    const [[, refresh]] = ofType(template, 'AWS::QuickSight::RefreshSchedule');

    // Assert
    expect(refresh.DependsOn).toEqual([dataSetId]);
    expect(refresh.Properties.Schedule).toEqual({
      ScheduleId: 'test-email-refresh',
      RefreshType: 'FULL_REFRESH',
      ScheduleFrequency: {
        Interval: 'MONTHLY',
        TimeZone: 'UTC',
        TimeOfTheDay: '02:15',
        RefreshOnDay: { DayOfMonth: '1' },
      },
    });
  });
});
