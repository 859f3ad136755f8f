import { defaultProvider } from '@aws-sdk/credential-provider-node';

/** The outcome of looking for AWS credentials: where they come from, or what is missing and how to fix it. */
export type AwsCredentialsResult =
  { readonly ok: true; readonly source: string } | { readonly ok: false; readonly error: string };

/** What the check is for and which profile was asked for. */
export interface AwsCredentialsOptions {
  /** The command that needs the credentials, as the user reruns it, e.g. `npx nx run ingestion:deploy`. */
  readonly command: string;
  /** The profile given with `--profile`; `AWS_PROFILE` (and then the default profile) otherwise. */
  readonly profile?: string;
}

/**
 * Looks for AWS credentials the way the CDK CLI will (the AWS SDK's default chain: environment
 * variables, the profile's keys, SSO session, process or role, then container and instance roles),
 * without calling AWS. Reads `process.env` and the shared config files as the SDK does.
 *
 * @example
 * const found = await findAwsCredentials({ command: 'npx nx run ingestion:deploy' });
 * if (!found.ok) console.error(found.error);
 */
export async function findAwsCredentials(options: AwsCredentialsOptions): Promise<AwsCredentialsResult> {
  const profile = options.profile ?? (process.env.AWS_PROFILE || undefined);
  try {
    await defaultProvider(options.profile === undefined ? {} : { profile: options.profile })();
    return { ok: true, source: sourceOf(profile) };
  } catch (error) {
    return { ok: false, error: missingCredentials(options, profile, error) };
  }
}

function sourceOf(profile: string | undefined): string {
  if (profile !== undefined) return `the AWS profile "${profile}"`;
  if (process.env.AWS_ACCESS_KEY_ID) return 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  return 'the default AWS profile or role';
}

const howToProvide =
  '`aws configure sso` (then `aws sso login --profile <name>`) or `aws configure --profile <name>` and ' +
  'run again with AWS_PROFILE=<name>, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
  '(and AWS_SESSION_TOKEN for temporary keys)';

// One line: what is missing, where it was looked for, and how to provide it.
function missingCredentials(
  options: AwsCredentialsOptions,
  profile: string | undefined,
  error: unknown,
): string {
  const before = `No AWS credentials for \`${options.command}\``;
  if (profile !== undefined) {
    const named = options.profile !== undefined ? `--profile ${profile}` : `AWS_PROFILE=${profile}`;
    const reason = firstSentenceOf(error);
    if (/\bSSO\b/i.test(reason)) {
      return `${before}: the SSO session of profile "${profile}" (${named}) is missing or expired (${reason}). Fix: run \`aws sso login --profile ${profile}\`, then run again.`;
    }
    return (
      `${before}: profile "${profile}" (${named}) is not in ~/.aws/config or ~/.aws/credentials, or gives no keys, ` +
      `SSO session or role (${reason}). Fix: \`aws configure list-profiles\` lists your profiles; set one up with ${howToProvide}.`
    );
  }
  if (process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_SECRET_ACCESS_KEY) {
    return `${before}: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. Fix: export AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or unset AWS_ACCESS_KEY_ID and use a profile.`;
  }
  return (
    `${before}: no AWS_PROFILE or --profile, no AWS_ACCESS_KEY_ID, no default profile in ~/.aws/config or ` +
    `~/.aws/credentials, and no container or instance role. Fix: ${howToProvide}.`
  );
}

function firstSentenceOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split(/\.\s|\.?\n/)[0].replace(/\.$/, '');
}
