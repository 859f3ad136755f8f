import { configurationProblemsOf } from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testProjectDirectory } from '../../test/test-stack';
import { analyticsConfigSchema } from './analytics-config';

afterAll(() => {
  removeTestOutdirs();
});

function load(
  file?: Record<string, unknown>,
  env: Record<string, string> = {},
  context: Record<string, unknown> = {},
) {
  return analyticsConfigSchema.load({
    projectDirectory: testProjectDirectory(file),
    env,
    context: (key) => context[key],
  });
}

describe('analyticsConfigSchema', () => {
  it('defaults to the canonical names, a 1000 MB cutoff and the constructs’ retentions', () => {
    expect(load()).toEqual({
      account: undefined,
      region: undefined,
      namesPrefix: 'engagementdb',
      bytesScannedCutoffMb: 1000,
      queryResultRetentionDays: 30,
      accessLogRetentionDays: 90,
      logRetentionDays: 30,
    });
  });

  it('layers config.json, the environment and CDK context, the last winning', () => {
    // Act
    const config = load(
      { bytesScannedCutoffMb: 20, queryResultRetentionDays: 5 },
      { ENGAGEMENT_DB_BYTES_SCANNED_CUTOFF_MB: '30', ENGAGEMENT_DB_NAMES_PREFIX: 'acme' },
      { bytesScannedCutoffMb: '40' },
    );

    // Assert
    expect(config).toMatchObject({
      namesPrefix: 'acme',
      bytesScannedCutoffMb: 40,
      queryResultRetentionDays: 5,
    });
  });

  it.each([
    [
      'a cutoff below Athena’s minimum in context',
      {},
      { bytesScannedCutoffMb: '9' },
      'bytesScannedCutoffMb from CDK context is "9"; expected a whole number of MB from 10 (Athena’s minimum) to 10000000. ' +
        'Fix: pass -c bytesScannedCutoffMb=1000, or remove it from the context.',
    ],
    [
      'a fractional cutoff in the environment',
      { ENGAGEMENT_DB_BYTES_SCANNED_CUTOFF_MB: '10.5' },
      {},
      'ENGAGEMENT_DB_BYTES_SCANNED_CUTOFF_MB from the environment is "10.5"; expected a whole number of MB from 10 (Athena’s minimum) to 10000000. ' +
        'Fix: set ENGAGEMENT_DB_BYTES_SCANNED_CUTOFF_MB=1000, or unset it.',
    ],
    [
      'results kept for no day',
      { ENGAGEMENT_DB_QUERY_RESULT_RETENTION_DAYS: '0' },
      {},
      'ENGAGEMENT_DB_QUERY_RESULT_RETENTION_DAYS from the environment is "0"; expected a whole number of days from 1 to 3650. ' +
        'Fix: set ENGAGEMENT_DB_QUERY_RESULT_RETENTION_DAYS=30, or unset it.',
    ],
  ])(
    'reports %s with what, where, the value, the expectation and the fix',
    (_case, env, context, message) => {
      expect(configurationProblemsOf(() => load(undefined, env, context))).toEqual([message]);
    },
  );

  it('names the analytics app and its settings for a key that is no setting', () => {
    // Act
    const problems = configurationProblemsOf(() => load({ bytesScannedCutoff: 100 }));

    // Assert
    expect(problems).toEqual([
      expect.stringMatching(
        /^"bytesScannedCutoff" from .*config\.json is no setting of the analytics app; expected one of account, region, namesPrefix, bytesScannedCutoffMb, queryResultRetentionDays, accessLogRetentionDays, logRetentionDays/,
      ),
    ]);
  });
});
