import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { sharedResourceNamesOf } from '@engagement-db/cdk-kit';
import { type AnalyticsView, analyticsViews, createViewStatement } from '@engagement-db/sql';
import type { AnalyticsConfig } from '../config/analytics-config';
import { savedQueriesOf } from '../config/saved-query-catalog';
import { AthenaView } from '../constructs/athena-view';
import { AthenaViewProvider } from '../constructs/athena-view-provider';
import { AthenaWorkgroup } from '../constructs/athena-workgroup';
import { QueryResultsBuckets } from '../constructs/query-results-buckets';
import { SavedQueries } from '../constructs/saved-queries';

/** The configuration of the stack, its views and where its prebuilt handler bundle is. */
export interface AnalyticsStackProps extends StackProps {
  /** The checked settings of the deployment. */
  readonly config: AnalyticsConfig;
  /**
   * The views to create, each after the views it reads.
   * @default analyticsViews of @engagement-db/sql
   */
  readonly views?: readonly AnalyticsView[];
  /**
   * The folder of the prebuilt handler bundle.
   * @default apps/analytics/dist/athena-view-handler, written by `npx nx run analytics:build`
   */
  readonly bundleDirectory?: string;
}

/**
 * The folder the app's build bundles the Athena view handler into.
 *
 * @example defaultBundleDirectory // '/repo/apps/analytics/dist/athena-view-handler'
 */
export const defaultBundleDirectory = join(__dirname, '..', '..', 'dist', 'athena-view-handler');

/**
 * Athena on top of the ingestion app's Glue catalog: a workgroup with enforced settings and its
 * results bucket, the analytics views (one `AthenaView` each, created from `@engagement-db/sql`'s
 * SQL in dependency order) and the saved queries. The shared names come from the names prefix
 * (`sharedResourceNamesOf`); the events bucket's name from the SSM parameter the ingestion app
 * writes, so deploying before the ingestion app fails at once, naming the parameter.
 *
 * @example new AnalyticsStack(app, 'EngagementDbAnalytics', { ...stackProps, config });
 */
export class AnalyticsStack extends Stack {
  readonly buckets: QueryResultsBuckets;
  readonly workgroup: AthenaWorkgroup;
  readonly viewProvider: AthenaViewProvider;
  /** The views by name. */
  readonly views: ReadonlyMap<string, AthenaView>;
  readonly savedQueries: SavedQueries;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = sharedResourceNamesOf(config.namesPrefix);
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const eventsBucketName = ssm.StringParameter.valueForStringParameter(
      this,
      names.parameters.eventsBucketName,
    );

    this.buckets = new QueryResultsBuckets(this, 'Buckets', config);
    this.workgroup = new AthenaWorkgroup(this, 'Workgroup', {
      workgroupName: names.athenaWorkgroup,
      resultsBucket: this.buckets.results,
      bytesScannedCutoffMb: config.bytesScannedCutoffMb,
    });
    this.viewProvider = new AthenaViewProvider(this, 'ViewProvider', {
      workgroup: this.workgroup,
      databaseName: names.glueDatabase,
      tableNames: [names.eventsTable, names.conversationsTable],
      bundleDirectory: props.bundleDirectory ?? defaultBundleDirectory,
      functionNamePrefix: `${config.namesPrefix}-athena-view`,
      logRetention,
    });
    const tableNames = {
      database: names.glueDatabase,
      eventsTable: names.eventsTable,
      conversationsTable: names.conversationsTable,
    };
    const views = new Map<string, AthenaView>();
    for (const view of props.views ?? analyticsViews) {
      const athenaView = new AthenaView(this, constructIdOf(view.name), {
        provider: this.viewProvider,
        viewName: view.name,
        statement: createViewStatement(view, tableNames),
      });
      athenaView.addDependency(...view.dependsOn.map((name) => dependencyOf(views, view.name, name)));
      views.set(view.name, athenaView);
    }
    this.views = views;
    this.savedQueries = new SavedQueries(this, 'SavedQueries', {
      workgroup: this.workgroup,
      databaseName: names.glueDatabase,
      queries: savedQueriesOf(props.views ?? analyticsViews, names),
    });
    new ssm.StringParameter(this, 'QueryResultsBucketNameParameter', {
      parameterName: names.parameters.queryResultsBucketName,
      stringValue: this.buckets.results.bucketName,
      description: 'engagement-db: the bucket of the Athena query results (analytics app).',
    });

    const outputs: Record<string, { value: string; description: string }> = {
      WorkgroupName: {
        value: this.workgroup.workgroupName,
        description: 'Athena workgroup of the views and saved queries; QuickSight queries through it',
      },
      QueryResultsBucketName: {
        value: this.buckets.results.bucketName,
        description: `QuickSight's role reads and writes query results here, under ${this.workgroup.resultsPrefix}`,
      },
      QueryResultsLocation: {
        value: this.workgroup.outputLocation,
        description: 'Where every query writes its results',
      },
      LakeBucketName: {
        value: eventsBucketName,
        description: "QuickSight's role reads the lake here (events/, conversations/), read only",
      },
      GlueDatabaseName: { value: names.glueDatabase, description: 'Glue database of the tables and views' },
      ViewNames: {
        value: [...views.keys()].join(','),
        description: 'The analytics views, in creation order',
      },
      AccessLogsBucketName: {
        value: this.buckets.accessLogs.bucketName,
        description: 'Bucket of the S3 access logs of the results bucket',
      },
    };
    for (const [outputId, output] of Object.entries(outputs)) new CfnOutput(this, outputId, output);
  }
}

// "email_message_status" → "EmailMessageStatusView".
function constructIdOf(viewName: string): string {
  return `${viewName.replace(/(^|_)([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase())}View`;
}

function dependencyOf(views: ReadonlyMap<string, AthenaView>, reader: string, name: string): AthenaView {
  const view = views.get(name);
  if (view === undefined) {
    throw new Error(
      `The view ${reader} reads ${name}, which is not an analytics view listed before it; ` +
        'expected analyticsViews in dependency order. Fix: list each view after the views it reads.',
    );
  }
  return view;
}
