import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type NumberRule,
  accessLogsBucket,
  checkProps,
  numberRule,
  retentionDaysRule,
  secureBucketProps,
} from '@engagement-db/cdk-kit';

/** How long the buckets keep their objects. */
export interface QueryResultsBucketsProps {
  /**
   * Days to keep query results (Athena's result files and QuickSight's direct-query answers).
   * @default 30
   */
  readonly queryResultRetentionDays?: number;
  /**
   * Days to keep the S3 server access logs of the results bucket.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
}

/** The retentions when the props leave them out. */
export const queryResultsBucketDefaults = {
  queryResultRetentionDays: 30,
  accessLogRetentionDays: 90,
} as const;

/** What each retention may be. */
export const queryResultsBucketRules = {
  queryResultRetentionDays: retentionDaysRule,
  accessLogRetentionDays: retentionDaysRule,
} as const satisfies Record<string, NumberRule>;

/**
 * The bucket Athena writes query results to, and the bucket of its access logs: encrypted,
 * TLS-only, public access blocked, results expired after their retention, both retained when the
 * stack is deleted.
 *
 * @example const buckets = new QueryResultsBuckets(stack, 'Buckets', { queryResultRetentionDays: 7 });
 */
export class QueryResultsBuckets extends Construct {
  readonly results: s3.IBucket;
  readonly accessLogs: s3.IBucket;

  constructor(scope: Construct, id: string, props: QueryResultsBucketsProps = {}) {
    super(scope, id);
    const queryResultRetentionDays =
      props.queryResultRetentionDays ?? queryResultsBucketDefaults.queryResultRetentionDays;
    const accessLogRetentionDays =
      props.accessLogRetentionDays ?? queryResultsBucketDefaults.accessLogRetentionDays;
    checkProps(this, [
      numberRule(
        'queryResultRetentionDays',
        queryResultRetentionDays,
        queryResultsBucketRules.queryResultRetentionDays,
      ),
      numberRule(
        'accessLogRetentionDays',
        accessLogRetentionDays,
        queryResultsBucketRules.accessLogRetentionDays,
      ),
    ]);
    this.accessLogs = accessLogsBucket(this, accessLogRetentionDays);
    this.results = new s3.Bucket(this, 'Results', {
      ...secureBucketProps,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'query-results-bucket/',
      lifecycleRules: [
        { id: 'expire-query-results', expiration: Duration.days(queryResultRetentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
