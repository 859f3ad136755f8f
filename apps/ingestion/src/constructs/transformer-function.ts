import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeObjectWildcard, checkProps } from '@engagement-db/cdk-kit';
import {
  TransformerEnvironment,
  TransformerMetric,
  transformerMetricsNamespace,
  transformerServiceName,
} from '@engagement-db/firehose-transformer';
import { transformerTable } from '../config/canonical-tables';
import { TransformerBundleMissingError } from '../errors';

/** Where the transformer comes from and what it reads. */
export interface TransformerFunctionProps {
  /** The function's name: 1 to 64 letters, digits, hyphens or underscores. */
  readonly functionName: string;
  /** The folder holding the bundled `index.js` (and its `templates/*.vm`), written by the app's build. */
  readonly bundleDirectory: string;
  /** The bucket the function reads its templates from at run time. */
  readonly templatesBucket: s3.IBucket;
  /**
   * The key prefix of the templates in the templates bucket, ending with `/`.
   * @default 'templates/'
   */
  readonly templatesPrefix?: string;
  /**
   * How long CloudWatch keeps the function's logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The key prefix of the templates in the templates bucket when the props leave it out. */
export const defaultTemplatesPrefix = 'templates/';

/**
 * The Firehose transformation Lambda, deployed from the prebuilt bundle, with a role that may
 * write only its own log group and read only the templates under the templates prefix. Offers the
 * metrics the alarms watch.
 *
 * @example const transformer = new TransformerFunction(stack, 'Transformer', { functionName, bundleDirectory, templatesBucket });
 */
export class TransformerFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: TransformerFunctionProps) {
    super(scope, id);
    const templatesPrefix = props.templatesPrefix ?? defaultTemplatesPrefix;
    checkProps(this, [
      {
        prop: 'functionName',
        value: props.functionName,
        valid: /^[A-Za-z0-9_-]{1,64}$/.test(props.functionName),
        expected: '1 to 64 letters, digits, hyphens or underscores',
        fix: 'pass a shorter functionName (it is <namesPrefix>-firehose-transformer)',
      },
      {
        prop: 'templatesPrefix',
        value: templatesPrefix,
        valid: /^([^*/][^*]*\/)?$/.test(templatesPrefix),
        expected: 'a key prefix ending with "/" and without "*", e.g. "templates/"',
        fix: 'pass templatesPrefix: "templates/"',
      },
    ]);
    if (!existsSync(join(props.bundleDirectory, 'index.js'))) {
      throw new TransformerBundleMissingError(props.bundleDirectory);
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the engagement-db Firehose transformer: writes its logs, reads the templates.',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.templatesBucket.arnForObjects(`${templatesPrefix}*`)],
      }),
    );
    // ListBucket makes a missing template a clear 404 instead of a 403 in the fallback warning.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.templatesBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${templatesPrefix}*` } },
      }),
    );
    acknowledgeObjectWildcard(
      role,
      props.templatesBucket,
      `${templatesPrefix}*`,
      `The function reads every template under the ${templatesPrefix} prefix; their names are chosen at run time.`,
    );

    this.function = new lambda.Function(this, 'Function', {
      functionName: props.functionName,
      description:
        'Maps raw SES, End User Messaging and WhatsApp events to canonical engagement rows for Firehose.',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.bundleDirectory),
      memorySize: 1024,
      // Firehose waits up to 5 minutes for a transformation; a batch of 3 MB maps in about a second.
      timeout: Duration.minutes(2),
      role,
      logGroup,
      environment: {
        [TransformerEnvironment.templatesBucket]: props.templatesBucket.bucketName,
        [TransformerEnvironment.templatesPrefix]: templatesPrefix,
        [TransformerEnvironment.accountId]: Aws.ACCOUNT_ID,
        // Only the events stream calls this function, whatever the names prefix makes of its name.
        [TransformerEnvironment.table]: transformerTable,
        POWERTOOLS_SERVICE_NAME: transformerServiceName,
        POWERTOOLS_METRICS_NAMESPACE: transformerMetricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    this.role = role;
    this.logGroup = logGroup;
  }

  /**
   * Records the transformer could not map, from the metric it publishes per invocation in Embedded
   * Metric Format (sum over 5 minutes).
   */
  metricRecordsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: transformerMetricsNamespace,
      metricName: TransformerMetric.recordsFailed,
      dimensionsMap: { service: transformerServiceName },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Invocations that failed as a whole (sum over 5 minutes); Firehose retries them. */
  metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5), ...props });
  }
}
