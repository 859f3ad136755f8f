import type { App, AppProps } from 'aws-cdk-lib';
import { createCdkApp } from '@engagement-db/cdk-kit';
import { quickSightConfigSchema } from '../config/quicksight-config';
import { QuickSightStack } from './quicksight-stack';

/** Where the app reads its settings from and how the CDK app is made. */
export interface QuickSightAppOptions {
  /** The app's folder: its `config.json` and `package.json`. */
  readonly projectDirectory: string;
  /** `ENGAGEMENT_DB_*` settings and the CDK CLI's `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Props of the CDK app (outdir, context).
   * @default {} — the CDK CLI's outdir and context
   */
  readonly appProps?: AppProps;
}

/** The stack's description. */
export const quickSightStackDescription =
  'QuickSight Athena data source, one dataset per analytics view, and the engagement dashboard and analysis.';

/**
 * The CDK app with the QuickSight stack configured from `config.json`, `ENGAGEMENT_DB_*` variables and
 * CDK context, checked by the cdk-nag AwsSolutions pack: synthesis fails on any unacknowledged finding.
 *
 * @throws InvalidConfigurationError when a setting is wrong.
 * @example createQuickSightApp({ projectDirectory: 'apps/quicksight', env: process.env }).app.synth();
 */
export function createQuickSightApp(options: QuickSightAppOptions): { app: App; stack: QuickSightStack } {
  const { app, config, stackProps } = createCdkApp({
    schema: quickSightConfigSchema,
    projectDirectory: options.projectDirectory,
    env: options.env,
    description: quickSightStackDescription,
    // CDK's built-in CloudFormation schema validation takes minutes of CPU on the two 250 KB QuickSight
    // definitions; the typed property types check the keys, the tests run it on a sheet's worth, and
    // QuickSight validates the whole definition STRICT at deployment.
    appProps: { builtinCloudFormationValidation: false, ...options.appProps },
  });
  const stack = new QuickSightStack(app, 'EngagementDbQuickSight', { ...stackProps, config });
  return { app, stack };
}
