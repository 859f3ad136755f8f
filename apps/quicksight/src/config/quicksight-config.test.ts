import { configurationProblemsOf } from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testProjectDirectory } from '../../test/test-stack';
import { quickSightConfigSchema } from './quicksight-config';

afterAll(() => {
  removeTestOutdirs();
});

const user = 'arn:aws:quicksight:us-east-1:123456789012:user/default/alice';
const group = 'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts';

function load(
  file?: Record<string, unknown>,
  env: Record<string, string> = {},
  context: Record<string, unknown> = {},
) {
  return quickSightConfigSchema.load({
    projectDirectory: testProjectDirectory(file),
    env,
    context: (key) => context[key],
  });
}

describe('quickSightConfigSchema', () => {
  it('defaults to the Standard edition, direct query and no principal', () => {
    expect(load()).toEqual({
      account: undefined,
      region: undefined,
      namesPrefix: 'engagementdb',
      principalArn: undefined,
      edition: 'STANDARD',
      spice: false,
      spiceRefreshSchedule: undefined,
    });
  });

  it('takes a principal of another identity region than the one deployed to, and a group with Enterprise', () => {
    // Act
    const config = load(
      { region: 'eu-west-1', account: '123456789012', edition: 'ENTERPRISE' },
      { ENGAGEMENT_DB_PRINCIPAL_ARN: group },
      { spiceRefreshSchedule: 'HOURLY' },
    );

    // Assert
    expect(config).toMatchObject({
      region: 'eu-west-1',
      principalArn: group,
      edition: 'ENTERPRISE',
      spice: true,
      spiceRefreshSchedule: 'HOURLY',
    });
  });

  it.each([
    [
      'a user name instead of an ARN',
      { principalArn: 'alice' },
      {},
      /^principalArn from .*config\.json is "alice"; expected a QuickSight user or group ARN, arn:aws:quicksight:<identity region>:<account>:user\/<namespace>\/<name> \(or group\/\.\.\.\), as `aws quicksight describe-user` prints it\. Fix: /,
    ],
    [
      'an IAM role ARN in the environment',
      {},
      { ENGAGEMENT_DB_PRINCIPAL_ARN: 'arn:aws:iam::123456789012:role/admin' },
      /^ENGAGEMENT_DB_PRINCIPAL_ARN from the environment is "arn:aws:iam::123456789012:role\/admin"; expected a QuickSight user or group ARN/,
    ],
    [
      'an edition QuickSight does not have',
      { edition: 'enterprise' },
      {},
      /^edition from .*config\.json is "enterprise"; expected STANDARD or ENTERPRISE, the edition of the account’s QuickSight subscription\. Fix: /,
    ],
    [
      'a refresh time that is no time',
      { spiceRefreshSchedule: 'DAILY 25:00' },
      {},
      /^spiceRefreshSchedule from .*config\.json is "DAILY 25:00"; expected HOURLY, DAILY <HH:MM>, WEEKLY/,
    ],
    [
      'a region that is no region',
      {},
      { ENGAGEMENT_DB_REGION: 'Ireland' },
      /^ENGAGEMENT_DB_REGION from the environment is "Ireland"; expected an AWS region name such as us-east-1\. Fix: /,
    ],
  ])('refuses %s, saying what, where from, what was expected and the fix', (_case, file, env, message) => {
    // Act
    const problems = configurationProblemsOf(() => load(file, env));

    // Assert
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    [
      'a group with the Standard edition',
      { principalArn: group },
      /^principalArn from .*config\.json is ".*group\/default\/analysts" and edition \(default\) is "STANDARD"; expected a user ARN with the STANDARD edition: QuickSight groups are an Enterprise Edition feature\. Fix: set edition to ENTERPRISE if the account has it, or give a user’s ARN\.$/,
    ],
    [
      'an hourly refresh with the Standard edition',
      { spiceRefreshSchedule: 'HOURLY' },
      /^spiceRefreshSchedule from .*config\.json is "HOURLY" and edition \(default\) is "STANDARD"; expected DAILY, WEEKLY or MONTHLY with the STANDARD edition: hourly refreshes are an Enterprise Edition feature\./,
    ],
    [
      'a principal of another account',
      { principalArn: user, account: '210987654321' },
      /^principalArn from .*config\.json is ".*:123456789012:user\/default\/alice" and account from .*config\.json is "210987654321"; expected a principal of the account the app deploys to/,
    ],
    [
      'a principal of another partition than the region’s',
      { principalArn: user, region: 'cn-north-1' },
      /^principalArn from .*config\.json is "arn:aws:quicksight:.*" and region from .*config\.json is "cn-north-1"; expected a principal of the region’s partition \(arn:aws-cn: in China, arn:aws-us-gov: in GovCloud, arn:aws: elsewhere\); its identity region may differ from the region the dashboard is deployed to\. Fix: /,
    ],
  ])('refuses %s, naming both settings', (_case, file, message) => {
    // Act
    const problems = configurationProblemsOf(() => load(file));

    // Assert
    expect(problems).toEqual([expect.stringMatching(message)]);
  });

  it('reports every problem at once, not only the first', () => {
    // Act
    const problems = configurationProblemsOf(() =>
      load({ principalArn: 'alice', edition: 'PRO' }, { ENGAGEMENT_DB_SPICE_REFRESH_SCHEDULE: 'NIGHTLY' }),
    );

    // Assert
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      'principalArn',
      'edition',
      'ENGAGEMENT_DB_SPICE_REFRESH_SCHEDULE',
    ]);
  });
});
