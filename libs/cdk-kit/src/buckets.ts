import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { NumberRule } from './check-props';

/** What every bucket of the apps is: encrypted, TLS-only, public access blocked, kept when its stack is deleted. */
export const secureBucketProps = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** A retention in days that expires objects: at least a day, at most ten years. */
export const retentionDaysRule = {
  kind: 'integer',
  min: 1,
  max: 3650,
  expected: 'a whole number of days from 1 to 3650',
} as const satisfies NumberRule;

/**
 * The bucket `AccessLogs` of `scope`, for the server access logs of its other buckets, each log expired after
 * `retentionDays`. Logs are delivered by bucket policy, not by ACL, so every bucket of the scope keeps ACLs
 * disabled; call it before adding any other child to the scope, as it sets the scope's context.
 *
 * @example const accessLogs = accessLogsBucket(this, 90);
 */
export function accessLogsBucket(scope: Construct, retentionDays: number): s3.Bucket {
  scope.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  return new s3.Bucket(scope, 'AccessLogs', {
    ...secureBucketProps,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retentionDays) }],
  });
}
