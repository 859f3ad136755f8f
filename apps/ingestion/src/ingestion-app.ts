import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadIngestionConfig } from './ingestion-config';
import { IngestionStack } from './ingestion-stack';

/** Where the app reads its settings from and how the CDK app is made. */
export interface IngestionAppOptions {
  /** The folder holding `config.json`. */
  readonly projectDirectory: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly appProps?: AppProps;
  /** The folder of the prebuilt transformer bundle; `dist/transformer` by default. */
  readonly bundleDirectory?: string;
}

/**
 * The CDK app with the ingestion stack configured from `config.json`, `ENGAGEMENT_DB_*` variables and
 * CDK context, and the cdk-nag AwsSolutions pack registered as a validation plugin: synthesis fails
 * on any unacknowledged finding.
 *
 * @throws InvalidConfigurationError when a setting is wrong.
 * @example createIngestionApp({ projectDirectory: 'apps/ingestion', env: process.env }).app.synth();
 */
export function createIngestionApp(options: IngestionAppOptions): { app: App; stack: IngestionStack } {
  const app = new App(options.appProps);
  const config = loadIngestionConfig({
    projectDirectory: options.projectDirectory,
    env: options.env,
    context: (key) => app.node.tryGetContext(key),
  });
  const stack = new IngestionStack(app, 'EngagementDbIngestion', {
    stackName: `${config.namesPrefix}-ingestion`,
    config,
    bundleDirectory: options.bundleDirectory,
    env: config.account || config.region ? { account: config.account, region: config.region } : undefined,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
