import { Aws, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type NumberRule, acknowledgeObjectWildcard, checkProps, numberRule } from '@engagement-db/cdk-kit';

/** The workgroup's name, where its results go and how much one query may scan. */
export interface AthenaWorkgroupProps {
  /** The workgroup's name: 1 to 128 letters, digits, periods, hyphens or underscores. */
  readonly workgroupName: string;
  /** The bucket query results are written to. */
  readonly resultsBucket: s3.IBucket;
  /**
   * The key prefix of the results in the bucket, ending with `/`.
   * @default 'results/'
   */
  readonly resultsPrefix?: string;
  /**
   * The most one query may scan, in MB (1,000,000 bytes); Athena cancels a query that scans more.
   * @default 1000
   */
  readonly bytesScannedCutoffMb?: number;
}

/** The props' defaults. */
export const athenaWorkgroupDefaults = { resultsPrefix: 'results/', bytesScannedCutoffMb: 1000 } as const;

/** What the per-query cutoff may be: Athena accepts no less than 10 MB. */
export const bytesScannedCutoffRule = {
  kind: 'integer',
  min: 10,
  max: 10_000_000,
  expected: 'a whole number of MB from 10 (Athena’s minimum) to 10000000',
} as const satisfies NumberRule;

/** The engine the views and saved queries are written for. */
export const athenaEngineVersion = 'Athena engine version 3';

/**
 * An Athena workgroup whose settings override the client's: results in the given bucket and prefix,
 * encrypted with S3-managed keys and owned by the account; a bytes-scanned cutoff per query; engine
 * version 3; CloudWatch metrics on. Deleting it deletes its saved queries. Offers the grants a
 * query runner needs.
 *
 * @example const workgroup = new AthenaWorkgroup(stack, 'Workgroup', { workgroupName: 'engagementdb-analytics', resultsBucket });
 */
export class AthenaWorkgroup extends Construct {
  readonly workgroupName: string;
  readonly workgroupArn: string;
  readonly resultsBucket: s3.IBucket;
  readonly resultsPrefix: string;
  /** `s3://<bucket>/<prefix>`: where every query of the workgroup writes its results. */
  readonly outputLocation: string;

  constructor(scope: Construct, id: string, props: AthenaWorkgroupProps) {
    super(scope, id);
    const resultsPrefix = props.resultsPrefix ?? athenaWorkgroupDefaults.resultsPrefix;
    const cutoffMb = props.bytesScannedCutoffMb ?? athenaWorkgroupDefaults.bytesScannedCutoffMb;
    checkProps(this, [
      {
        prop: 'workgroupName',
        value: props.workgroupName,
        valid: /^[A-Za-z0-9._-]{1,128}$/.test(props.workgroupName),
        expected: '1 to 128 letters, digits, periods, hyphens or underscores',
        fix: 'pass a workgroupName such as "engagementdb-analytics"',
      },
      {
        prop: 'resultsPrefix',
        value: resultsPrefix,
        valid: /^[^*/][^*]*\/$/.test(resultsPrefix),
        expected: 'a key prefix ending with "/" and without "*", e.g. "results/"',
        fix: 'pass resultsPrefix: "results/"',
      },
      numberRule('bytesScannedCutoffMb', cutoffMb, bytesScannedCutoffRule),
    ]);
    this.resultsBucket = props.resultsBucket;
    this.resultsPrefix = resultsPrefix;
    this.outputLocation = `s3://${props.resultsBucket.bucketName}/${resultsPrefix}`;
    const workgroup = new athena.CfnWorkGroup(this, 'Default', {
      name: props.workgroupName,
      description: 'engagement-db: the analytics views, the saved queries and QuickSight.',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: cutoffMb * 1_000_000,
        engineVersion: { selectedEngineVersion: athenaEngineVersion },
        resultConfiguration: {
          outputLocation: this.outputLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Aws.ACCOUNT_ID,
        },
      },
    });
    // The name through Ref, so whatever runs in the workgroup depends on it.
    this.workgroupName = workgroup.ref;
    this.workgroupArn = Stack.of(this).formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: workgroup.ref,
    });
  }

  /**
   * Lets a principal start queries in the workgroup. Athena runs a query with the permissions of
   * the principal that started it, so the grant includes writing the results under the prefix;
   * reading the tables the query uses is granted separately.
   */
  grantStartQueryExecution(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:StartQueryExecution'],
      resourceArns: [this.workgroupArn],
    });
    grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resourceArns: [this.resultsBucket.bucketArn],
      }),
    );
    grant.combine(
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resourceArns: [this.resultsBucket.arnForObjects(`${this.resultsPrefix}*`)],
      }),
    );
    if (grantee.grantPrincipal instanceof iam.Role) {
      acknowledgeObjectWildcard(
        grantee.grantPrincipal,
        this.resultsBucket,
        `${this.resultsPrefix}*`,
        `Athena writes each query's results under ${this.resultsPrefix} in files named after the query id, which is known only at run time.`,
      );
    }
    return grant;
  }

  /** Lets a principal follow a query of the workgroup to its end (state and reason). */
  grantGetQueryExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:GetQueryExecution'],
      resourceArns: [this.workgroupArn],
    });
  }
}
