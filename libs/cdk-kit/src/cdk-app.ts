import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps, type StackProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ConfigSchema } from './config/config-schema';
import type { ConfigValues, Settings, TextSetting } from './config/settings';
import { CdkAppError } from './errors';

/** The settings `createCdkApp` reads: those of `sharedSettings`. */
export type SharedSettingsShape = {
  readonly account: TextSetting;
  readonly region: TextSetting;
  readonly namesPrefix: TextSetting & { readonly default: string };
};

/** Which app to make and where its configuration comes from. */
export interface CdkAppOptions<S extends Settings & SharedSettingsShape> {
  /** The app's configuration schema; it must include `sharedSettings`. */
  readonly schema: ConfigSchema<S>;
  /** The app's folder: its `config.json` and its `package.json` (the version in the stack description and tags). */
  readonly projectDirectory: string;
  /** The environment: `ENGAGEMENT_DB_*` settings and the CDK CLI's `CDK_DEFAULT_*`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What the app's stack deploys, one sentence; the description starts with the app's name and version. */
  readonly description: string;
  /**
   * Props of the CDK app (outdir, context).
   * @default {} — the CDK CLI's outdir and context
   */
  readonly appProps?: AppProps;
}

/** The CDK app, its checked configuration and the props its stack is made with. */
export interface CdkApp<C> {
  readonly app: App;
  readonly config: C;
  /** Stack name `<namesPrefix>-<app>`, the configured account and region, description and tags. */
  readonly stackProps: StackProps;
}

/**
 * Makes the CDK app of an engagement-db app: reads its configuration (defaults < config.json <
 * `ENGAGEMENT_DB_*` < CDK context), registers the cdk-nag AwsSolutions pack as a validation
 * plugin (synthesis fails on any unacknowledged finding), and gives the props every stack of the
 * project is made with: the stack name from the names prefix, the account and region when
 * configured (environment-agnostic otherwise), a description with the app's version, and the tags
 * `engagement-db:app` and `engagement-db:version` that CloudFormation puts on every resource.
 *
 * @throws InvalidConfigurationError when a setting is wrong.
 * @example
 * const { app, config, stackProps } = createCdkApp({ schema, projectDirectory, env: process.env, description: 'Athena views.' });
 * new AnalyticsStack(app, 'EngagementDbAnalytics', { ...stackProps, config });
 */
export function createCdkApp<S extends Settings & SharedSettingsShape>(
  options: CdkAppOptions<S>,
): CdkApp<ConfigValues<S>> {
  const app = new App(options.appProps);
  const config = options.schema.load({
    projectDirectory: options.projectDirectory,
    env: options.env,
    context: (key) => app.node.tryGetContext(key),
  });
  const shared = config as ConfigValues<SharedSettingsShape>;
  const name = options.schema.app;
  const version = versionOf(options.projectDirectory);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return {
    app,
    config,
    stackProps: {
      stackName: `${shared.namesPrefix}-${name}`,
      env: shared.account || shared.region ? { account: shared.account, region: shared.region } : undefined,
      description: `engagement-db ${name} ${version}: ${options.description}`,
      tags: { 'engagement-db:app': name, 'engagement-db:version': version },
    },
  };
}

/**
 * Synthesizes the app `create` makes, as a CDK app's entry point does. A `CdkAppError` (a wrong
 * setting or prop, a missing build output) ends the process with its message and exit code 1,
 * without a stack trace: the message already says what to do.
 *
 * @example runCdkApp(() => createIngestionApp({ projectDirectory, env: process.env }).app);
 */
export function runCdkApp(create: () => App): void {
  try {
    create().synth();
  } catch (error) {
    if (!(error instanceof CdkAppError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}

function versionOf(projectDirectory: string): string {
  const path = join(projectDirectory, 'package.json');
  const { version } = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || version === '') {
    throw new CdkAppError(
      `${path} has no "version"; expected the app's version, e.g. "0.1.0". Fix: add "version" to ${path}.`,
    );
  }
  return version;
}
