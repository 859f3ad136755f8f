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
import { canonicalTables } from '../config/canonical-tables';

/** How long the buckets keep their objects. */
export interface EngagementBucketsProps {
  /**
   * Days to keep events and conversations; 0 keeps them forever.
   * @default 0
   */
  readonly dataRetentionDays?: number;
  /**
   * Days to keep what Firehose could not process (`errors/`).
   * @default 30
   */
  readonly errorRetentionDays?: number;
  /**
   * Days to keep the S3 server access logs.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
}

/** The retention of each kind of object when the props leave it out. */
export const bucketRetentionDefaults = {
  dataRetentionDays: 0,
  errorRetentionDays: 30,
  accessLogRetentionDays: 90,
} as const;

/** What each retention may be. */
export const bucketRetentionRules = {
  dataRetentionDays: {
    kind: 'integer',
    min: 0,
    max: 36500,
    expected: 'a whole number of days from 0 to 36500, 0 keeping events and conversations forever',
  },
  errorRetentionDays: retentionDaysRule,
  accessLogRetentionDays: retentionDaysRule,
} as const satisfies Record<string, NumberRule>;

// Old template versions let an edit made in the S3 console be undone; a quarter is long enough to notice.
const templateVersionRetention = Duration.days(90);

/**
 * The three buckets: events (Parquet events, JSON conversations and Firehose error output), templates
 * (the Velocity templates the transformer reads, versioned) and access logs (server access logs of
 * the other two). All encrypted, TLS-only, with public access blocked, and retained when the stack
 * is deleted.
 *
 * @example const buckets = new EngagementBuckets(stack, 'Buckets', { dataRetentionDays: 365 });
 */
export class EngagementBuckets extends Construct {
  readonly events: s3.IBucket;
  readonly templates: s3.IBucket;
  readonly accessLogs: s3.IBucket;

  constructor(scope: Construct, id: string, props: EngagementBucketsProps = {}) {
    super(scope, id);
    const dataRetentionDays = props.dataRetentionDays ?? bucketRetentionDefaults.dataRetentionDays;
    const errorRetentionDays = props.errorRetentionDays ?? bucketRetentionDefaults.errorRetentionDays;
    const accessLogRetentionDays =
      props.accessLogRetentionDays ?? bucketRetentionDefaults.accessLogRetentionDays;
    checkProps(this, [
      numberRule('dataRetentionDays', dataRetentionDays, bucketRetentionRules.dataRetentionDays),
      numberRule('errorRetentionDays', errorRetentionDays, bucketRetentionRules.errorRetentionDays),
      numberRule(
        'accessLogRetentionDays',
        accessLogRetentionDays,
        bucketRetentionRules.accessLogRetentionDays,
      ),
    ]);
    const accessLogs = accessLogsBucket(this, accessLogRetentionDays);
    this.accessLogs = accessLogs;

    const dataExpiry: s3.LifecycleRule[] =
      dataRetentionDays > 0
        ? Object.values(canonicalTables).map(({ prefix }) => ({
            id: `expire-${prefix}`,
            prefix: `${prefix}/`,
            expiration: Duration.days(dataRetentionDays),
          }))
        : [];
    this.events = new s3.Bucket(this, 'Events', {
      ...secureBucketProps,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'events-bucket/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'expire-errors', prefix: 'errors/', expiration: Duration.days(errorRetentionDays) },
        ...dataExpiry,
      ],
    });

    this.templates = new s3.Bucket(this, 'Templates', {
      ...secureBucketProps,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'templates-bucket/',
      lifecycleRules: [
        { id: 'expire-old-template-versions', noncurrentVersionExpiration: templateVersionRetention },
      ],
    });
  }
}
