import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { conversationTable, eventTable } from '@engagement-db/canonical-model';

/** How long the buckets keep their objects. */
export interface EngagementBucketsProps {
  /** 0 keeps events and conversations forever. */
  readonly dataRetentionDays: number;
  readonly errorRetentionDays: number;
  readonly accessLogRetentionDays: number;
}

// Old template versions let an edit made in the S3 console be undone; a quarter is long enough to notice.
const templateVersionRetention = Duration.days(90);

/**
 * The three buckets: events (Parquet events, JSON conversations and Firehose error output), templates
 * (the Velocity templates the transformer reads) and access logs (server access logs of the other
 * two). All encrypted, TLS-only, with public access blocked.
 *
 * @example const buckets = new EngagementBuckets(stack, 'Buckets', { dataRetentionDays: 0, errorRetentionDays: 30, accessLogRetentionDays: 90 });
 */
export class EngagementBuckets extends Construct {
  readonly events: s3.Bucket;
  readonly templates: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: EngagementBucketsProps) {
    super(scope, id);
    // Access logs are delivered by bucket policy, not by ACL, so every bucket can keep ACLs disabled.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const secure = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secure,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays) }],
    });

    const dataExpiry: s3.LifecycleRule[] =
      props.dataRetentionDays > 0
        ? [eventTable.prefix, conversationTable.prefix].map((prefix) => ({
            id: `expire-${prefix}`,
            prefix: `${prefix}/`,
            expiration: Duration.days(props.dataRetentionDays),
          }))
        : [];
    this.events = new s3.Bucket(this, 'Events', {
      ...secure,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'events-bucket/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'expire-errors', prefix: 'errors/', expiration: Duration.days(props.errorRetentionDays) },
        ...dataExpiry,
      ],
    });

    this.templates = new s3.Bucket(this, 'Templates', {
      ...secure,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'templates-bucket/',
      lifecycleRules: [
        { id: 'expire-old-template-versions', noncurrentVersionExpiration: templateVersionRetention },
      ],
    });
  }
}
