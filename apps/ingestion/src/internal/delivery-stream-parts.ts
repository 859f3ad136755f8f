import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeObjectWildcard } from './acknowledge';

const logStreamName = 'DestinationDelivery';

/** The role a delivery stream writes with and the log stream it reports delivery errors to. */
export class DeliveryStreamParts extends Construct {
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly logStream: logs.LogStream;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly streamName: string;
      readonly bucket: s3.IBucket;
      /** Key prefixes the stream writes under, without the trailing `*`. */
      readonly prefixes: readonly string[];
      readonly logRetention: logs.RetentionDays;
    },
  ) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/kinesisfirehose/${props.streamName}`,
      retention: props.logRetention,
    });
    this.logStream = this.logGroup.addStream('DestinationDelivery', { logStreamName });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
      description: `Lets the ${props.streamName} delivery stream write to its bucket prefixes and log its errors.`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [props.bucket.bucketArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: props.prefixes.map((prefix) => props.bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    for (const prefix of props.prefixes) {
      acknowledgeObjectWildcard(
        this.role,
        props.bucket,
        `${prefix}*`,
        `Firehose names each object it writes under ${prefix} itself (hour folders and a random suffix).`,
      );
    }
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:PutLogEvents'],
        resources: [
          Stack.of(this).formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${this.logGroup.logGroupName}:log-stream:${logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
  }

  /** The `CloudWatchLoggingOptions` of the stream. */
  get loggingOptions() {
    return { enabled: true, logGroupName: this.logGroup.logGroupName, logStreamName };
  }
}
