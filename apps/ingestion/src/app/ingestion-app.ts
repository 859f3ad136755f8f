import type { App, AppProps } from 'aws-cdk-lib';
import { createCdkApp } from '@engagement-db/cdk-kit';
import { ingestionConfigSchema } from '../config/ingestion-config';
import { IngestionStack } from './ingestion-stack';

/** Where the app reads its settings from and how the CDK app is made. */
export interface IngestionAppOptions {
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
   * The folder of the prebuilt transformer bundle.
   * @default apps/ingestion/dist/transformer
   */
  readonly bundleDirectory?: string;
}

/**
 * The CDK app with the ingestion stack configured from `config.json`, `ENGAGEMENT_DB_*` variables and
 * CDK context, checked by the cdk-nag AwsSolutions pack: synthesis fails on any unacknowledged finding.
 *
 * @throws InvalidConfigurationError when a setting is wrong.
 * @example createIngestionApp({ projectDirectory: 'apps/ingestion', env: process.env }).app.synth();
 */
export function createIngestionApp(options: IngestionAppOptions): { app: App; stack: IngestionStack } {
  const { app, config, stackProps } = createCdkApp({
    schema: ingestionConfigSchema,
    projectDirectory: options.projectDirectory,
    env: options.env,
    description: 'SES, End User Messaging and WhatsApp events to S3 Parquet, Glue and Athena.',
    appProps: options.appProps,
  });
  const stack = new IngestionStack(app, 'EngagementDbIngestion', {
    ...stackProps,
    config,
    bundleDirectory: options.bundleDirectory,
  });
  return { app, stack };
}
