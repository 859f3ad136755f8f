import * as path from 'node:path';

/** The environment variable naming the lake folder when no `--lake` flag is given. */
export const lakeEnvironmentVariable = 'ENGAGEMENT_DB_LAKE';

/**
 * The lake folder used when neither a flag nor the environment names one, relative to the working folder.
 */
export const defaultLakeFolder = 'engagement-lake';

/**
 * The absolute lake folder: the `--lake` flag, else `ENGAGEMENT_DB_LAKE`, else `./engagement-lake`.
 *
 * @example resolveLakeDirectory(options.lake) // '/home/me/engagement-lake'
 */
export function resolveLakeDirectory(flag?: string, environment: NodeJS.ProcessEnv = process.env): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(environment[lakeEnvironmentVariable]) ?? defaultLakeFolder;
  return path.resolve(chosen);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}
