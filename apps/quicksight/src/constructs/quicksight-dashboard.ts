import { Aws } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import type { Dashboard, ViewColumns } from '@engagement-db/dashboards';
import { compileDashboard } from '../definition/compile-dashboard';
import { ResourcePermissions, ownerActions } from './quicksight-permissions';
import type { ViewDataSet } from './view-data-set';

/** The dashboard definition to compile and the datasets it reads. */
export interface QuickSightDashboardProps {
  /** The definition (`engagementDashboard`). */
  readonly dashboard: Dashboard;
  /** The views' columns and types (`analyticsViews`), to check and compile the fields against. */
  readonly views: readonly ViewColumns[];
  /** The QuickSight dataset of each dataset id of the definition. */
  readonly dataSets: ReadonlyMap<string, ViewDataSet>;
  /** The id of the dashboard in the account's QuickSight; the analysis is `<dashboardId>-analysis`. */
  readonly dashboardId: string;
  /** The name QuickSight shows for both. */
  readonly name: string;
}

/**
 * The dashboard, compiled from its definition (`compileDashboard`), as an `AWS::QuickSight::Dashboard`
 * people view and an `AWS::QuickSight::Analysis` with the same definition to edit in the console (an
 * edit there is brought back to the definition in code through `export-dashboard`). Both are
 * validated STRICT, so QuickSight refuses a definition with errors instead of deploying it broken.
 *
 * @example new QuickSightDashboard(stack, 'Dashboard', { dashboard: engagementDashboard, views: analyticsViews, dataSets, dashboardId: 'engagementdb-engagement', name: 'Messaging dashboard' });
 */
export class QuickSightDashboard extends Construct {
  readonly dashboardId: string;
  readonly analysisId: string;
  readonly dashboardArn: string;
  readonly analysisArn: string;
  private readonly dashboardPermissions: ResourcePermissions;
  private readonly analysisPermissions: ResourcePermissions;

  constructor(scope: Construct, id: string, props: QuickSightDashboardProps) {
    super(scope, id);
    checkProps(this, [
      {
        prop: 'dashboardId',
        value: props.dashboardId,
        valid: /^[\w-]{1,503}$/.test(props.dashboardId),
        expected: '1 to 503 letters, digits, hyphens or underscores',
        fix: 'pass a dashboardId such as "engagementdb-engagement"',
      },
    ]);
    const dataSetArns = Object.fromEntries(
      [...props.dataSets].map(([datasetId, dataSet]) => [datasetId, dataSet.dataSetArn]),
    );
    const definition = compileDashboard(props.dashboard, { views: props.views, dataSetArns });
    this.dashboardId = props.dashboardId;
    this.analysisId = `${props.dashboardId}-analysis`;
    this.dashboardPermissions = new ResourcePermissions(this, ownerActions.dashboard);
    this.analysisPermissions = new ResourcePermissions(this, ownerActions.analysis);
    const validationStrategy = { mode: 'STRICT' };

    const dashboard = new quicksight.CfnDashboard(this, 'Dashboard', {
      awsAccountId: Aws.ACCOUNT_ID,
      dashboardId: this.dashboardId,
      name: props.name,
      definition,
      validationStrategy,
      dashboardPublishOptions: {
        sheetControlsOption: { visibilityState: 'EXPANDED' },
        exportToCsvOption: { availabilityStatus: 'ENABLED' },
      },
      permissions: this.dashboardPermissions.render(),
    });
    const analysis = new quicksight.CfnAnalysis(this, 'Analysis', {
      awsAccountId: Aws.ACCOUNT_ID,
      analysisId: this.analysisId,
      name: `${props.name} (analysis)`,
      definition,
      validationStrategy,
      permissions: this.analysisPermissions.render(),
    });
    this.dashboardArn = dashboard.attrArn;
    this.analysisArn = analysis.attrArn;
  }

  /** Makes a QuickSight user or group owner of the dashboard and the analysis. */
  grantOwner(principalArn: string): void {
    this.dashboardPermissions.add(principalArn);
    this.analysisPermissions.add(principalArn);
  }
}
