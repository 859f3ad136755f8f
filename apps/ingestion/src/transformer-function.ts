import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Aws,
  BOOTSTRAP_QUALIFIER_CONTEXT,
  DefaultStackSynthesizer,
  Duration,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { TableName } from '@engagement-db/canonical-model';
import {
  TransformerEnvironment,
  transformerMetricsNamespace,
  transformerServiceName,
} from '@engagement-db/firehose-transformer';
import { TransformerBundleMissingError } from './errors';
import { acknowledgeObjectWildcard } from './internal/acknowledge';

/** Where the transformer comes from and what it reads. */
export interface TransformerFunctionProps {
  readonly functionName: string;
  /** The folder holding the bundled `index.js` and its `templates/*.vm`. */
  readonly bundleDirectory: string;
  readonly templatesBucket: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
}

/** The key prefix of the templates in the templates bucket. */
export const templatesPrefix = 'templates/';

/**
 * The Firehose transformation Lambda, deployed from the prebuilt bundle, and the default templates
 * copied into the templates bucket, where they can be edited without a redeploy of code.
 *
 * @example new TransformerFunction(stack, 'Transformer', { functionName, bundleDirectory, templatesBucket, logRetention });
 */
export class TransformerFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TransformerFunctionProps) {
    super(scope, id);
    if (!existsSync(join(props.bundleDirectory, 'index.js'))) {
      throw new TransformerBundleMissingError(props.bundleDirectory);
    }
    const stack = Stack.of(this);

    const templates = new s3deploy.BucketDeployment(this, 'DefaultTemplates', {
      sources: [s3deploy.Source.asset(join(props.bundleDirectory, 'templates'))],
      destinationBucket: props.templatesBucket,
      destinationKeyPrefix: templatesPrefix,
      retainOnDelete: true,
    });
    acknowledgeBucketDeploymentHandler(stack, props.templatesBucket);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the engagement-db Firehose transformer: writes its logs, reads the templates.',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
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
      'The function reads every template under the templates/ prefix; their names are chosen at run time.',
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
      logGroup: this.logGroup,
      environment: {
        [TransformerEnvironment.templatesBucket]: props.templatesBucket.bucketName,
        [TransformerEnvironment.templatesPrefix]: templatesPrefix,
        [TransformerEnvironment.accountId]: Aws.ACCOUNT_ID,
        // Only the events stream calls this function, whatever the names prefix makes of its name.
        [TransformerEnvironment.table]: TableName.events,
        POWERTOOLS_SERVICE_NAME: transformerServiceName,
        POWERTOOLS_METRICS_NAMESPACE: transformerMetricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    this.function.node.addDependency(templates);
  }
}

function acknowledgeBucketDeploymentHandler(stack: Stack, templatesBucket: s3.IBucket): void {
  // The deployment's handler is a stack-wide singleton that aws-cdk-lib owns: its runtime, managed
  // policy and wildcard grants are not ours to set. It runs only while deploying, copying templates.
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler === undefined) return;
  const because = 'The CDK BucketDeployment handler, run only at deploy time to copy the templates, ';
  const acknowledgements: Record<string, string> = {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
      'uses the AWS managed basic execution role for its own logs.',
    'AwsSolutions-L1': 'has the runtime aws-cdk-lib pins and updates with each release.',
    'AwsSolutions-IAM5[Action::s3:GetObject*]':
      'reads the template asset with the read actions aws-cdk-lib grants.',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]':
      'reads the asset bucket with the read actions aws-cdk-lib grants.',
    'AwsSolutions-IAM5[Action::s3:List*]': 'lists the asset and templates buckets to sync them.',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'deletes templates removed from the repository (prune).',
    'AwsSolutions-IAM5[Action::s3:Abort*]': 'aborts its own failed uploads to the templates bucket.',
    [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${assetBucketNameOf(stack)}/*]`]:
      'reads the zipped templates from the CDK bootstrap asset bucket, whose keys are content hashes.',
  };
  for (const [id, reason] of Object.entries(acknowledgements)) {
    Validations.of(handler).acknowledge({ id, reason: because + reason });
  }
  acknowledgeObjectWildcard(
    handler,
    templatesBucket,
    '*',
    `${because}writes the templates under keys it derives from the files.`,
  );
}

// The bootstrap asset bucket as cdk-nag spells it: unresolved account and region as <AWS::...> placeholders.
function assetBucketNameOf(stack: Stack): string {
  const qualifier =
    (stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) as string | undefined) ??
    DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  return `cdk-${qualifier}-assets-${account}-${region}`;
}
