import { parseArgs } from 'node:util';
import { CdkAppError } from '@engagement-db/cdk-kit';
import { type QuickSightConfig, quickSightConfigSchema } from '../config/quicksight-config';

/** What the app's commands read from their arguments and the app's configuration. */
export interface CommandOptions {
  readonly config: QuickSightConfig;
  /** `--profile <name>`, as the CDK CLI takes it. */
  readonly profile: string | undefined;
  /** `--out <file>` of export-dashboard. */
  readonly out: string | undefined;
  /** `--fail`: exit 1 when the deployed dashboard differs from the code. */
  readonly fail: boolean;
}

/**
 * The settings a command runs with: the app's configuration as `cdk deploy` reads it (config.json,
 * `ENGAGEMENT_DB_*`, and `-c key=value` given to the Nx target), and the command's own flags; Nx
 * forwards the deploy target's arguments, so `--profile` and `-c` reach the checks too. A check run
 * before `cdk deploy` passes `cdkArguments: true`: the CDK CLI's other flags (`--require-approval never`)
 * are its arguments too, and are left to it.
 *
 * @throws InvalidConfigurationError when a setting is wrong; CdkAppError for an unknown flag.
 * @example commandOptionsOf(process.argv.slice(2), { projectDirectory, env: process.env })
 */
export function commandOptionsOf(
  argv: readonly string[],
  where: {
    projectDirectory: string;
    env: Readonly<Record<string, string | undefined>>;
    /** @default false — an unknown flag is an error */
    cdkArguments?: boolean;
  },
): CommandOptions {
  const strict = where.cdkArguments !== true;
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        profile: { type: 'string' },
        context: { type: 'string', short: 'c', multiple: true },
        out: { type: 'string' },
        fail: { type: 'boolean' },
      },
      strict,
      allowPositionals: !strict,
    }));
  } catch (error) {
    throw new CdkAppError(
      `${(error as Error).message}; expected --profile <name>, -c <setting>=<value>, --out <file> or --fail.`,
    );
  }
  const context = Object.fromEntries(
    [values.context ?? []].flat().flatMap((pair) => {
      if (typeof pair !== 'string') return [];
      const at = pair.indexOf('=');
      return [at < 0 ? [pair, 'true'] : [pair.slice(0, at), pair.slice(at + 1)]];
    }),
  );
  return {
    config: quickSightConfigSchema.load({
      projectDirectory: where.projectDirectory,
      env: where.env,
      context: (key) => context[key],
    }),
    profile: typeof values.profile === 'string' ? values.profile : undefined,
    out: typeof values.out === 'string' ? values.out : undefined,
    fail: values.fail === true,
  };
}
