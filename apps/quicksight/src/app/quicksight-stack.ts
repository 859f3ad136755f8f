import { Annotations, Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import { type Dashboard, engagementDashboard } from '@engagement-db/dashboards';
import { type AnalyticsView, analyticsViews } from '@engagement-db/sql';
import type { QuickSightConfig } from '../config/quicksight-config';
import { AthenaDataSource } from '../constructs/athena-data-source';
import { QuickSightDashboard } from '../constructs/quicksight-dashboard';
import { ImportMode, ViewDataSet, parseRefreshSchedule } from '../constructs/view-data-set';

/** The configuration of the stack and the dashboard it deploys. */
export interface QuickSightStackProps extends StackProps {
  /** The checked settings of the deployment. */
  readonly config: QuickSightConfig;
  /**
   * The dashboard definition.
   * @default engagementDashboard of @engagement-db/dashboards
   */
  readonly dashboard?: Dashboard;
  /**
   * The analytics views the datasets read.
   * @default analyticsViews of @engagement-db/sql
   */
  readonly views?: readonly AnalyticsView[];
}

/**
 * QuickSight on top of the analytics app's workgroup: an Athena data source querying as a role that
 * reads only the lake and results buckets, one dataset per view the dashboard reads, and the dashboard
 * with its analysis, compiled from the definition. The buckets' names come from the SSM parameters
 * the ingestion and analytics apps write, so deploying before them fails at once, naming the
 * parameter. The configured principal owns everything; without one, nobody can open it (a warning).
 *
 * @example new QuickSightStack(app, 'EngagementDbQuickSight', { ...stackProps, config });
 */
export class QuickSightStack extends Stack {
  readonly dataSource: AthenaDataSource;
  /** The datasets by the definition's dataset id. */
  readonly dataSets: ReadonlyMap<string, ViewDataSet>;
  readonly dashboard: QuickSightDashboard;

  constructor(scope: Construct, id: string, props: QuickSightStackProps) {
    super(scope, id, props);
    const { config } = props;
    const definition = props.dashboard ?? engagementDashboard;
    const views = props.views ?? analyticsViews;
    const names = sharedResourceNamesOf(config.namesPrefix);
    const parameter = (name: string) => ssm.StringParameter.valueForStringParameter(this, name);

    this.dataSource = new AthenaDataSource(this, 'DataSource', {
      dataSourceId: `${config.namesPrefix}-athena`,
      name: `engagement-db Athena (${names.athenaWorkgroup})`,
      workgroupName: names.athenaWorkgroup,
      databaseName: names.glueDatabase,
      tableNames: [names.eventsTable, names.conversationsTable, ...views.map((view) => view.name)],
      lakeBucketName: parameter(names.parameters.eventsBucketName),
      resultsBucketName: parameter(names.parameters.queryResultsBucketName),
    });
    const dataSets = new Map<string, ViewDataSet>();
    for (const dataset of definition.datasets) {
      const view = views.find((candidate) => candidate.name === dataset.view);
      if (!view) continue; // The dashboard's compilation reports the missing view with every other problem.
      dataSets.set(
        dataset.id,
        new ViewDataSet(this, `DataSet-${dataset.id}`, {
          dataSource: this.dataSource,
          dataSetId: `${config.namesPrefix}-${dataset.id}`,
          name: `engagement-db ${dataset.view}`,
          databaseName: names.glueDatabase,
          view,
          importMode: config.spice ? ImportMode.spice : ImportMode.directQuery,
          refreshSchedule: config.spiceRefreshSchedule
            ? parseRefreshSchedule(config.spiceRefreshSchedule)
            : undefined,
        }),
      );
    }
    this.dataSets = dataSets;
    this.dashboard = new QuickSightDashboard(this, 'Dashboard', {
      dashboard: definition,
      views,
      dataSets,
      dashboardId: `${config.namesPrefix}-${definition.id}`,
      name: definition.title,
    });

    if (config.principalArn) {
      for (const owned of [this.dataSource, ...dataSets.values(), this.dashboard])
        owned.grantOwner(config.principalArn);
    } else {
      Annotations.of(this).addWarningV2(
        'engagement-db:no-principal',
        'No principalArn is configured: the data source, datasets, dashboard and analysis will have no owner, so ' +
          'nobody can open them. Fix: npm run configure -w apps/quicksight -- --principal-arn <QuickSight user or group ARN>.',
      );
    }

    const consoleUrl = `https://${Aws.REGION}.quicksight.aws.amazon.com/sn`;
    const outputs: Record<string, { value: string; description: string }> = {
      DashboardId: {
        value: this.dashboard.dashboardId,
        description: 'The dashboard; `nx run quicksight:export-dashboard` reads it back',
      },
      DashboardUrl: {
        value: `${consoleUrl}/dashboards/${this.dashboard.dashboardId}`,
        description: 'Open the dashboard',
      },
      AnalysisUrl: {
        value: `${consoleUrl}/analyses/${this.dashboard.analysisId}`,
        description: 'Edit the dashboard in the console',
      },
      DataSourceRoleArn: {
        value: this.dataSource.role.roleArn,
        description: 'The role QuickSight queries Athena as: the lake and results buckets only',
      },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}
