import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, type IConstruct } from 'constructs';
import {
  type NumberRule,
  type PropRule,
  acknowledgeObjectWildcard,
  checkProps,
  numberRule,
} from '@engagement-db/cdk-kit';

/** What Firehose allows for the buffer of a stream that partitions dynamically, as both streams do. */
export const deliveryBufferRules = {
  sizeMiB: {
    kind: 'integer',
    min: 64,
    max: 128,
    expected:
      'a whole number of MiB from 64 to 128 (Firehose needs at least 64 MiB when it partitions dynamically or writes Parquet)',
  },
  intervalSeconds: {
    kind: 'integer',
    min: 60,
    max: 900,
    expected: 'a whole number of seconds from 60 to 900',
  },
} as const satisfies Record<string, NumberRule>;

/** The props both delivery streams take. */
export interface EngagementDeliveryStreamProps {
  /** The stream's name: 1 to 64 letters, digits, dots, hyphens or underscores. */
  readonly streamName: string;
  /** The bucket the stream writes to. */
  readonly bucket: s3.IBucket;
  /**
   * How long CloudWatch keeps the stream's delivery error log.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Where and how a stream delivers, beyond what every stream shares. */
export interface DeliveryDestination {
  /** The object key prefix, with the partition key expressions. */
  readonly prefix: string;
  /** The key prefix of records the stream could not process or deliver. */
  readonly errorOutputPrefix: string;
  /** The key prefixes the stream's role may write under, each ending with `/`. */
  readonly writablePrefixes: readonly string[];
  readonly bufferSizeMiB: number;
  readonly bufferIntervalSeconds: number;
  /** The destination settings of this stream (processors, format conversion), given its role. */
  readonly settings: (
    role: iam.IRole,
  ) => Pick<
    firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty,
    'processingConfiguration' | 'dataFormatConversionConfiguration'
  >;
  /** What must exist before the stream is created, besides its role. */
  readonly dependsOn?: readonly IConstruct[];
}

const logStreamName = 'DestinationDelivery';

/**
 * What both delivery streams share, written once: DirectPut, encrypted with an AWS owned key,
 * dynamic partitioning with a 5-minute retry, uncompressed objects, no backup, delivery errors
 * logged to `/aws/kinesisfirehose/<name>`, and a role Firehose alone may assume (for this account)
 * that writes only under the stream's prefixes. Offers `grantPutRecords` and the stream's metrics.
 */
export abstract class EngagementDeliveryStream extends Construct {
  readonly streamName: string;
  readonly streamArn: string;
  /** The role Firehose delivers with. */
  readonly role: iam.IRole;

  protected constructor(
    scope: Construct,
    id: string,
    props: EngagementDeliveryStreamProps,
    destination: DeliveryDestination,
    rules: readonly PropRule[] = [],
  ) {
    super(scope, id);
    checkProps(this, [
      {
        prop: 'streamName',
        value: props.streamName,
        valid: /^[a-zA-Z0-9_.-]{1,64}$/.test(props.streamName),
        expected: '1 to 64 letters, digits, dots, hyphens or underscores',
        fix: 'pass a shorter streamName (it is <namesPrefix>-events or -conversations)',
      },
      numberRule('bufferSizeMiB', destination.bufferSizeMiB, deliveryBufferRules.sizeMiB),
      numberRule(
        'bufferIntervalSeconds',
        destination.bufferIntervalSeconds,
        deliveryBufferRules.intervalSeconds,
      ),
      ...rules,
    ]);
    const stack = Stack.of(this);
    // One scope for the role and the logs, as the stream's parts were first deployed.
    const delivery = new Construct(this, 'Delivery');
    const logGroup = new logs.LogGroup(delivery, 'Logs', {
      logGroupName: `/aws/kinesisfirehose/${props.streamName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    logGroup.addStream(logStreamName, { logStreamName });

    const role = new iam.Role(delivery, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': stack.account } },
      }),
      description: `Lets the ${props.streamName} delivery stream write to its bucket prefixes and log its errors.`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [props.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: destination.writablePrefixes.map((prefix) => props.bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    for (const prefix of destination.writablePrefixes) {
      acknowledgeObjectWildcard(
        role,
        props.bucket,
        `${prefix}*`,
        `Firehose names each object it writes under ${prefix} itself (hour folders and a random suffix).`,
      );
    }
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${logGroup.logGroupName}:log-stream:${logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.role = role;

    const stream = new firehose.CfnDeliveryStream(this, 'Stream', {
      deliveryStreamName: props.streamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: destination.prefix,
        errorOutputPrefix: destination.errorOutputPrefix,
        // Parquet files carry their own (Snappy) compression, and Firehose requires UNCOMPRESSED with
        // format conversion; JSON lines stay plain so any tool reads them, as in the local lake.
        compressionFormat: 'UNCOMPRESSED',
        bufferingHints: {
          sizeInMBs: destination.bufferSizeMiB,
          intervalInSeconds: destination.bufferIntervalSeconds,
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logGroup.logGroupName, logStreamName },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        s3BackupMode: 'Disabled',
        ...destination.settings(role),
      },
    });
    stream.node.addDependency(role, ...(destination.dependsOn ?? []));
    this.streamName = props.streamName;
    this.streamArn = stream.attrArn;
  }

  /** Lets a principal call the given Firehose actions on this stream. */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.streamArn] });
  }

  /** Lets a principal put records on this stream (`PutRecord`, `PutRecordBatch`). */
  grantPutRecords(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'firehose:PutRecord', 'firehose:PutRecordBatch');
  }

  /** A metric of this stream in the `AWS/Firehose` namespace, over 5 minutes unless `props` says otherwise. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName,
      dimensionsMap: { DeliveryStreamName: this.streamName },
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** The share of the stream's S3 deliveries that succeeded; its minimum is below 1 when any failed. */
  metricDeliveryToS3Success(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DeliveryToS3.Success', { statistic: 'Minimum', ...props });
  }
}
