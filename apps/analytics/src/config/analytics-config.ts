import { type ConfigOf, ConfigSchema, logRetentionDaysSetting, sharedSettings } from '@engagement-db/cdk-kit';
import { athenaWorkgroupDefaults, bytesScannedCutoffRule } from '../constructs/athena-workgroup';
import { queryResultsBucketDefaults, queryResultsBucketRules } from '../constructs/query-results-buckets';

/**
 * Every setting of the analytics app, defined once: the `AnalyticsConfig` type, the defaults, the
 * checks with their messages, the `ENGAGEMENT_DB_*` variables and the `configure` flags and
 * questions come from here. The limits are the constructs' own rules.
 *
 * @example analyticsConfigSchema.defaults.bytesScannedCutoffMb // 1000
 */
export const analyticsConfigSchema = new ConfigSchema({
  app: 'analytics',
  settings: {
    ...sharedSettings,
    bytesScannedCutoffMb: {
      ...bytesScannedCutoffRule,
      default: athenaWorkgroupDefaults.bytesScannedCutoffMb,
      example: '1000',
      question:
        'Most MB one query of the workgroup may scan (10-10000000); Athena cancels a query that scans more',
    },
    queryResultRetentionDays: {
      ...queryResultsBucketRules.queryResultRetentionDays,
      default: queryResultsBucketDefaults.queryResultRetentionDays,
      example: '30',
      question: 'Days to keep query results in the results bucket',
    },
    accessLogRetentionDays: {
      ...queryResultsBucketRules.accessLogRetentionDays,
      default: queryResultsBucketDefaults.accessLogRetentionDays,
      example: '90',
      question: 'Days to keep the S3 access logs of the results bucket',
    },
    logRetentionDays: logRetentionDaysSetting,
  },
});

/** The checked settings of one deployment of the analytics stack. */
export type AnalyticsConfig = ConfigOf<typeof analyticsConfigSchema>;
