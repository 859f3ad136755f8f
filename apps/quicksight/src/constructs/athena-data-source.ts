import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import { Construct } from 'constructs';
import { acknowledgeFindings, checkProps } from '@engagement-db/cdk-kit';
import { ResourcePermissions, ownerActions } from './quicksight-permissions';

/** Where QuickSight's queries run and what they may read. */
export interface AthenaDataSourceProps {
  /** The data source's id in the account's QuickSight: letters, digits, hyphens, underscores. */
  readonly dataSourceId: string;
  /** The name QuickSight shows. */
  readonly name: string;
  /** The Athena workgroup every query runs in (its settings are enforced). */
  readonly workgroupName: string;
  /** The Glue database of the tables and views. */
  readonly databaseName: string;
  /** The tables and views queries read, by name: the views and the lake tables under them. */
  readonly tableNames: readonly string[];
  /** The lake bucket (a name, or a token read from an SSM parameter at deploy time). */
  readonly lakeBucketName: string;
  /**
   * The key prefixes of the lake the tables read, each ending with `/`.
   * @default ['events/', 'conversations/']
   */
  readonly lakePrefixes?: readonly string[];
  /** The bucket the workgroup writes query results to. */
  readonly resultsBucketName: string;
  /**
   * The key prefix of the workgroup's results, ending with `/` (the analytics app's workgroup writes under `results/`).
   * @default 'results/'
   */
  readonly resultsPrefix?: string;
}

/** The props' defaults. */
export const athenaDataSourceDefaults = {
  lakePrefixes: ['events/', 'conversations/'],
  resultsPrefix: 'results/',
} as const;

const namePattern = /^[\w-]{1,128}$/;
const prefixPattern = /^[^*/][^*]*\/$/;

/**
 * A QuickSight Athena data source over the analytics workgroup, querying as a role of its own
 * (`AthenaParameters.RoleArn`) that QuickSight assumes: it may run and read queries in that workgroup
 * only, read the Glue catalog entries of the named tables and views, read the lake's objects under
 * its prefixes, and write and read query results under the results prefix. Nothing else in S3.
 *
 * @example new AthenaDataSource(stack, 'DataSource', { dataSourceId: 'engagementdb-athena', name: 'engagement-db Athena', workgroupName: 'engagementdb-analytics', ... });
 */
export class AthenaDataSource extends Construct {
  readonly dataSourceArn: string;
  /** The role QuickSight assumes to run the data source's queries. */
  readonly role: iam.IRole;
  private readonly permissions: ResourcePermissions;

  constructor(scope: Construct, id: string, props: AthenaDataSourceProps) {
    super(scope, id);
    const lakePrefixes = props.lakePrefixes ?? athenaDataSourceDefaults.lakePrefixes;
    const resultsPrefix = props.resultsPrefix ?? athenaDataSourceDefaults.resultsPrefix;
    checkProps(this, [
      {
        prop: 'dataSourceId',
        value: props.dataSourceId,
        valid: namePattern.test(props.dataSourceId),
        expected: '1 to 128 letters, digits, hyphens or underscores',
        fix: 'pass a dataSourceId such as "engagementdb-athena"',
      },
      {
        prop: 'tableNames',
        value: props.tableNames,
        valid:
          props.tableNames.length > 0 &&
          props.tableNames.every((name) => name.trim() !== '' && !name.includes('*')),
        expected: 'at least one Glue table or view name, without "*"',
        fix: 'pass the views the datasets read and the lake tables under them',
      },
      {
        prop: 'lakePrefixes',
        value: lakePrefixes,
        valid: lakePrefixes.length > 0 && lakePrefixes.every((prefix) => prefixPattern.test(prefix)),
        expected: 'key prefixes ending with "/" and without "*", e.g. ["events/"]',
        fix: 'pass lakePrefixes: ["events/", "conversations/"]',
      },
      {
        prop: 'resultsPrefix',
        value: resultsPrefix,
        valid: prefixPattern.test(resultsPrefix),
        expected: 'a key prefix ending with "/" and without "*", e.g. "results/"',
        fix: 'pass resultsPrefix: "results/"',
      },
    ]);
    const stack = Stack.of(this);
    const s3Arn = (path: string) => `arn:${Aws.PARTITION}:s3:::${path}`;
    const workgroupArn = stack.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: props.workgroupName,
    });
    const catalogArn = stack.formatArn({
      service: 'glue',
      resource: 'catalog',
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    const databaseArn = stack.formatArn({
      service: 'glue',
      resource: 'database',
      resourceName: props.databaseName,
    });
    const tableArns = props.tableNames.map((table) =>
      stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${props.databaseName}/${table}` }),
    );

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('quicksight.amazonaws.com'),
      description:
        'engagement-db: QuickSight runs the dashboard queries in the analytics workgroup as this role.',
    });
    const policy = new iam.Policy(this, 'Queries', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: [
            'athena:GetWorkGroup',
            'athena:StartQueryExecution',
            'athena:StopQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:GetQueryResultsStream',
          ],
          resources: [workgroupArn],
        }),
        new iam.PolicyStatement({
          actions: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
          ],
          resources: [catalogArn, databaseArn, ...tableArns],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket'],
          resources: [s3Arn(props.lakeBucketName)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: lakePrefixes.map((prefix) => s3Arn(`${props.lakeBucketName}/${prefix}*`)),
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [s3Arn(props.resultsBucketName)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [s3Arn(`${props.resultsBucketName}/${resultsPrefix}*`)],
        }),
      ],
    });
    this.role = role;

    const dataSource = new quicksight.CfnDataSource(this, 'Default', {
      awsAccountId: Aws.ACCOUNT_ID,
      dataSourceId: props.dataSourceId,
      name: props.name,
      type: 'ATHENA',
      dataSourceParameters: { athenaParameters: { workGroup: props.workgroupName, roleArn: role.roleArn } },
      sslProperties: { disableSsl: false },
      permissions: (this.permissions = new ResourcePermissions(this, ownerActions.dataSource)).render(),
    });
    // QuickSight checks the role when the data source is made: the policy must exist by then.
    dataSource.node.addDependency(policy);
    this.dataSourceArn = dataSource.attrArn;

    // cdk-nag names each finding after the resource as written, an SSM parameter by its logical id.
    const nagName = (value: string) => {
      const resolved = stack.resolve(value) as string | { Ref: string };
      return typeof resolved === 'string' ? resolved : `<${resolved.Ref}>`;
    };
    const objects = (bucket: string, prefix: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${nagName(bucket)}/${prefix}*]`;
    acknowledgeFindings(policy, {
      ...Object.fromEntries(
        lakePrefixes.map((prefix) => [
          objects(props.lakeBucketName, prefix),
          `Read only, the lake's objects under ${prefix}: hourly Parquet files Firehose names at delivery, known only at run time.`,
        ]),
      ),
      [objects(props.resultsBucketName, resultsPrefix)]:
        `Athena writes each query's results under ${resultsPrefix} in files named after the query id, known only at run time; QuickSight reads them back.`,
    });
  }

  /** Makes a QuickSight user or group the data source's owner. */
  grantOwner(principalArn: string): void {
    this.permissions.add(principalArn);
  }
}
