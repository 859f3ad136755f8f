import { Aws } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import { quickSightTypeOf } from '../definition/view-columns';
import type { AthenaDataSource } from './athena-data-source';
import { ResourcePermissions, ownerActions } from './quicksight-permissions';

/** How a dataset reads its view: at each visual's query, or from SPICE, QuickSight's in-memory copy. */
export const ImportMode = { directQuery: 'DIRECT_QUERY', spice: 'SPICE' } as const;
export type ImportMode = (typeof ImportMode)[keyof typeof ImportMode];

/** When SPICE copies a view again (UTC): every hour, or every day, week or month at a time. */
export type SpiceRefreshSchedule =
  | { readonly interval: 'HOURLY' }
  | { readonly interval: 'DAILY'; readonly timeOfDay: string }
  | { readonly interval: 'WEEKLY'; readonly dayOfWeek: string; readonly timeOfDay: string }
  | { readonly interval: 'MONTHLY'; readonly dayOfMonth: number; readonly timeOfDay: string };

const time = '([01]\\d|2[0-3]):[0-5]\\d';
const weekdays = 'MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY';

/**
 * A SPICE refresh schedule as one line of text: `HOURLY`, `DAILY 04:00`, `WEEKLY MONDAY 04:00`,
 * `MONTHLY 1 04:00` (days 1 to 28, so every month has it); times are UTC.
 */
export const refreshSchedulePattern = new RegExp(
  `^(HOURLY|DAILY ${time}|WEEKLY (${weekdays}) ${time}|MONTHLY ([1-9]|1\\d|2[0-8]) ${time})$`,
);

/**
 * The schedule a line of text says (see {@link refreshSchedulePattern}), or undefined when it says none.
 *
 * @example parseRefreshSchedule('WEEKLY MONDAY 04:00') // { interval: 'WEEKLY', dayOfWeek: 'MONDAY', timeOfDay: '04:00' }
 */
export function parseRefreshSchedule(text: string): SpiceRefreshSchedule | undefined {
  if (!refreshSchedulePattern.test(text)) return undefined;
  const [interval, first, second] = text.split(' ');
  switch (interval) {
    case 'HOURLY':
      return { interval };
    case 'DAILY':
      return { interval, timeOfDay: first };
    case 'WEEKLY':
      return { interval, dayOfWeek: first, timeOfDay: second };
    default:
      return { interval: 'MONTHLY', dayOfMonth: Number(first), timeOfDay: second };
  }
}

/** One analytics view as a QuickSight dataset. */
export interface ViewDataSetProps {
  /** The data source the dataset queries through. */
  readonly dataSource: AthenaDataSource;
  /** The dataset's id in the account's QuickSight: letters, digits, hyphens, underscores. */
  readonly dataSetId: string;
  /** The name QuickSight shows. */
  readonly name: string;
  /** The Glue database of the view. */
  readonly databaseName: string;
  /** The view's name and columns with their Athena types (`analyticsViews`); columns QuickSight cannot read are left out. */
  readonly view: { readonly name: string; readonly columns: readonly { name: string; type: string }[] };
  /**
   * Direct query (every visual queries Athena, always current) or SPICE (a copy, refreshed on schedule).
   * @default ImportMode.directQuery
   */
  readonly importMode?: ImportMode;
  /**
   * When SPICE copies the view again; only with SPICE.
   * @default no schedule: with SPICE, the copy made at deployment until refreshed by hand
   */
  readonly refreshSchedule?: SpiceRefreshSchedule;
}

/**
 * A QuickSight dataset over one analytics view: the view as a relational table of the Athena data
 * source (`AwsDataCatalog`, the Glue database), its columns typed from the view's Athena types, in
 * direct query or SPICE, with a full refresh on a schedule when SPICE.
 *
 * @example new ViewDataSet(stack, 'EmailRates', { dataSource, dataSetId: 'engagementdb-email-rates', name: 'email_conversion_rates_view', databaseName, view });
 */
export class ViewDataSet extends Construct {
  readonly dataSetArn: string;
  readonly dataSetId: string;
  private readonly permissions: ResourcePermissions;

  constructor(scope: Construct, id: string, props: ViewDataSetProps) {
    super(scope, id);
    const importMode = props.importMode ?? ImportMode.directQuery;
    const columns = props.view.columns.flatMap((column) => {
      const type = quickSightTypeOf(column.type);
      return type ? [{ name: column.name, type }] : [];
    });
    checkProps(this, [
      {
        prop: 'dataSetId',
        value: props.dataSetId,
        valid: /^[\w-]{1,128}$/.test(props.dataSetId),
        expected: '1 to 128 letters, digits, hyphens or underscores',
        fix: 'pass a dataSetId such as "engagementdb-email-rates"',
      },
      {
        prop: 'view',
        value: props.view.name,
        valid: columns.length > 0,
        expected: 'a view with at least one column QuickSight can read (text, numbers, dates, timestamps)',
        fix: 'pass the view with its columns from analyticsViews',
      },
      {
        prop: 'refreshSchedule',
        value: props.refreshSchedule,
        valid: props.refreshSchedule === undefined || importMode === ImportMode.spice,
        expected: 'no refresh schedule with direct query (each visual queries Athena)',
        fix: 'pass importMode: ImportMode.spice, or leave refreshSchedule out',
      },
    ]);
    this.dataSetId = props.dataSetId;
    const physicalTableId = 'view';
    const dataSet = new quicksight.CfnDataSet(this, 'Default', {
      awsAccountId: Aws.ACCOUNT_ID,
      dataSetId: props.dataSetId,
      name: props.name,
      importMode,
      physicalTableMap: {
        [physicalTableId]: {
          relationalTable: {
            dataSourceArn: props.dataSource.dataSourceArn,
            catalog: 'AwsDataCatalog',
            schema: props.databaseName,
            name: props.view.name,
            inputColumns: columns,
          },
        },
      },
      permissions: (this.permissions = new ResourcePermissions(this, ownerActions.dataSet)).render(),
    });
    this.dataSetArn = dataSet.attrArn;

    if (props.refreshSchedule) {
      const schedule = props.refreshSchedule;
      const refresh = new quicksight.CfnRefreshSchedule(this, 'RefreshSchedule', {
        awsAccountId: Aws.ACCOUNT_ID,
        dataSetId: props.dataSetId,
        schedule: {
          scheduleId: `${props.dataSetId}-refresh`,
          refreshType: 'FULL_REFRESH',
          scheduleFrequency: {
            interval: schedule.interval,
            timeZone: 'UTC',
            ...(schedule.interval !== 'HOURLY' && { timeOfTheDay: schedule.timeOfDay }),
            ...(schedule.interval === 'WEEKLY' && { refreshOnDay: { dayOfWeek: schedule.dayOfWeek } }),
            ...(schedule.interval === 'MONTHLY' && {
              refreshOnDay: { dayOfMonth: String(schedule.dayOfMonth) },
            }),
          },
        },
      });
      refresh.addResourceDependency(dataSet);
    }
  }

  /** Makes a QuickSight user or group the dataset's owner. */
  grantOwner(principalArn: string): void {
    this.permissions.add(principalArn);
  }
}
