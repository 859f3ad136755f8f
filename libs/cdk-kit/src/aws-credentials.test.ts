import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The check runs as nx.json runs it before diff, deploy and destroy: a process of its own, with the
// real AWS SDK credential chain reading the environment and the shared config files given here.
const tsx = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const bin = join(__dirname, 'bin', 'check-aws-credentials.ts');

let home: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'cdk-kit-aws-'));
  writeFileSync(
    join(home, 'config'),
    [
      '[profile deployer]',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '[profile sso-user]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = Deployer',
      '[sso-session corp]',
      'sso_start_url = https://corp.example.com/start',
      'sso_region = eu-west-1',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

function check(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(tsx, [bin, 'demo:deploy', ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      // No instance or container role on a test machine: the chain must not wait for one.
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const howToProvide =
  '`aws configure sso` (then `aws sso login --profile <name>`) or `aws configure --profile <name>` and run again ' +
  'with AWS_PROFILE=<name>, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)';

describe('check-aws-credentials', () => {
  it('ends with one line saying what is missing and how to provide it when there are no credentials', () => {
    // Act
    const result = check([]);

    // Assert
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'No AWS credentials for `npx nx run demo:deploy`: no AWS_PROFILE or --profile, no AWS_ACCESS_KEY_ID, ' +
        'no default profile in ~/.aws/config or ~/.aws/credentials, and no container or instance role. ' +
        `Fix: ${howToProvide}.\n`,
    });
  });

  it('says which variable is missing when only the key id is set', () => {
    // Act
    const result = check([], { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' });

    // Assert
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'No AWS credentials for `npx nx run demo:deploy`: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. ' +
        'Fix: export AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys), or unset AWS_ACCESS_KEY_ID and use a profile.\n',
    );
  });

  it('names a profile that does not exist, from AWS_PROFILE', () => {
    // Act
    const result = check([], { AWS_PROFILE: 'nosuch' });

    // Assert
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^No AWS credentials for `npx nx run demo:deploy`: profile "nosuch" \(AWS_PROFILE=nosuch\) is not in ~\/\.aws\/config or ~\/\.aws\/credentials, or gives no keys, SSO session or role \(.+\)\. Fix: `aws configure list-profiles` lists your profiles; set one up with .+\.\n$/,
    );
  });

  it('tells to sign in again when the SSO session of the profile given with --profile is missing', () => {
    // Act
    const result = check(['--require-approval', 'never', '--profile', 'sso-user']);

    // Assert
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^No AWS credentials for `npx nx run demo:deploy`: the SSO session of profile "sso-user" \(--profile sso-user\) is missing or expired \(.*SSO.*\)\. Fix: run `aws sso login --profile sso-user`, then run again\.\n$/,
    );
  });

  it.each([
    [
      'keys in the environment',
      [],
      { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    ],
    ['a profile given with --profile', ['--profile', 'deployer'], {}, 'the AWS profile "deployer"'],
    ['a profile given with --profile=', ['--profile=deployer', '--all'], {}, 'the AWS profile "deployer"'],
    ['a profile in AWS_PROFILE', [], { AWS_PROFILE: 'deployer' }, 'the AWS profile "deployer"'],
  ])('passes with %s, saying where the credentials come from', (_case, args, env, source) => {
    expect(check(args, env)).toEqual({ status: 0, stdout: `AWS credentials from ${source}.\n`, stderr: '' });
  });
});
