import type { App, AppProps } from 'aws-cdk-lib';
import { createCdkApp } from '@engagement-db/cdk-kit';
import { analyticsConfigSchema } from '../config/analytics-config';
import { AnalyticsStack } from './analytics-stack';

/** Where the app reads its settings from and how the CDK app is made. */
export interface AnalyticsAppOptions {
  /** The app's folder: its `config.json` and `package.json`. */
  readonly projectDirectory: string;
  /** `ENGAGEMENT_DB_*` settings and the CDK CLI's `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Props of the CDK app (outdir, context).
   * @default {} — the CDK CLI's outdir and context
   */
  readonly appProps?: AppProps;
  /**
   * The folder of the prebuilt handler bundle.
   * @default apps/analytics/dist/athena-view-handler
   */
  readonly bundleDirectory?: string;
}

/**
 * The CDK app with the analytics stack configured from `config.json`, `ENGAGEMENT_DB_*` variables and
 * CDK context, checked by the cdk-nag AwsSolutions pack: synthesis fails on any unacknowledged finding.
 *
 * @throws InvalidConfigurationError when a setting is wrong.
 * @example createAnalyticsApp({ projectDirectory: 'apps/analytics', env: process.env }).app.synth();
 */
export function createAnalyticsApp(options: AnalyticsAppOptions): { app: App; stack: AnalyticsStack } {
  const { app, config, stackProps } = createCdkApp({
    schema: analyticsConfigSchema,
    projectDirectory: options.projectDirectory,
    env: options.env,
    description: 'Athena workgroup, the analytics views and the saved queries over the engagement lake.',
    appProps: options.appProps,
  });
  const stack = new AnalyticsStack(app, 'EngagementDbAnalytics', {
    ...stackProps,
    config,
    bundleDirectory: options.bundleDirectory,
  });
  return { app, stack };
}
