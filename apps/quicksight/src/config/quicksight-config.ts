import { type ConfigOf, ConfigSchema, sharedSettings } from '@engagement-db/cdk-kit';
import { principalArnPattern, principalOf } from '../constructs/quicksight-permissions';
import { refreshSchedulePattern } from '../constructs/view-data-set';

/** The QuickSight editions: what the account subscribed to decides what it may use. */
export const Edition = { standard: 'STANDARD', enterprise: 'ENTERPRISE' } as const;
export type Edition = (typeof Edition)[keyof typeof Edition];

/**
 * Every setting of the QuickSight app, defined once: the `QuickSightConfig` type, the defaults, the
 * checks and their messages, the `ENGAGEMENT_DB_*` variables and the `configure` flags and questions.
 * The dashboard itself uses no Enterprise feature; a group principal and an hourly SPICE refresh do,
 * and the rules say so.
 *
 * @example quickSightConfigSchema.defaults.edition // 'STANDARD'
 */
export const quickSightConfigSchema = new ConfigSchema({
  app: 'quicksight',
  settings: {
    ...sharedSettings,
    principalArn: {
      kind: 'text',
      pattern: principalArnPattern,
      expected:
        'a QuickSight user or group ARN, arn:aws:quicksight:<identity region>:<account>:user/<namespace>/<name> ' +
        '(or group/...), as `aws quicksight describe-user` prints it',
      example: 'arn:aws:quicksight:us-east-1:123456789012:user/default/alice',
      question: 'QuickSight user or group ARN that owns the dashboard, analysis and datasets',
    },
    edition: {
      kind: 'text',
      default: Edition.standard,
      pattern: /^(STANDARD|ENTERPRISE)$/,
      expected: 'STANDARD or ENTERPRISE, the edition of the account’s QuickSight subscription',
      example: Edition.standard,
      question: 'QuickSight edition of the account (STANDARD or ENTERPRISE)',
    },
    spice: {
      kind: 'switch',
      enables: 'spiceRefreshSchedule',
      expected: 'true or false',
      example: 'true',
      question: 'Copy the views into SPICE instead of querying Athena for every visual? (true/false)',
    },
    spiceRefreshSchedule: {
      kind: 'text',
      pattern: refreshSchedulePattern,
      expected:
        'HOURLY, DAILY <HH:MM>, WEEKLY <MONDAY..SUNDAY> <HH:MM> or MONTHLY <1-28> <HH:MM>, in UTC, such as "DAILY 04:00"',
      example: 'DAILY 04:00',
      question: 'When SPICE copies the views again, UTC (turns SPICE on)',
    },
  },
  rules: [
    {
      settings: ['principalArn', 'edition'],
      valid: (config) =>
        principalOf(config.principalArn ?? '')?.kind !== 'group' || config.edition === Edition.enterprise,
      expected: 'a user ARN with the STANDARD edition: QuickSight groups are an Enterprise Edition feature',
      fix: 'set edition to ENTERPRISE if the account has it, or give a user’s ARN',
    },
    {
      settings: ['spiceRefreshSchedule', 'edition'],
      valid: (config) =>
        !config.spiceRefreshSchedule?.startsWith('HOURLY') || config.edition === Edition.enterprise,
      expected:
        'DAILY, WEEKLY or MONTHLY with the STANDARD edition: hourly refreshes are an Enterprise Edition feature',
      fix: 'set spiceRefreshSchedule to "DAILY 04:00" (or another daily time), or edition to ENTERPRISE',
    },
    {
      settings: ['principalArn', 'region'],
      valid: (config) =>
        config.principalArn === undefined ||
        config.region === undefined ||
        config.principalArn.split(':')[1] === partitionOf(config.region),
      expected:
        'a principal of the region’s partition (arn:aws-cn: in China, arn:aws-us-gov: in GovCloud, arn:aws: elsewhere); ' +
        'its identity region may differ from the region the dashboard is deployed to',
      fix: 'give the ARN of a user or group of that partition, or deploy to a region of the principal’s partition',
    },
    {
      settings: ['principalArn', 'account'],
      valid: (config) =>
        config.principalArn === undefined ||
        config.account === undefined ||
        principalOf(config.principalArn)?.account === config.account,
      expected:
        'a principal of the account the app deploys to (QuickSight grants to its own users and groups)',
      fix: 'give the ARN of a user or group of that account, or deploy to the principal’s account',
    },
  ],
});

/** The AWS partition of a region: `aws-cn` in China, `aws-us-gov` in GovCloud, `aws` elsewhere. */
function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  return region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** The checked settings of one deployment of the QuickSight stack. */
export type QuickSightConfig = ConfigOf<typeof quickSightConfigSchema>;
