import { existsSync, readdirSync } from 'node:fs';
import { BOOTSTRAP_QUALIFIER_CONTEXT, DefaultStackSynthesizer, Stack, Token } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeFindings, acknowledgeObjectWildcard, checkProps } from '@engagement-db/cdk-kit';
import { defaultTemplatesPrefix } from './transformer-function';

/** Which templates go where. */
export interface TemplatesDeploymentProps {
  /** The folder of the default `.vm` templates (the bundle's `templates/`). */
  readonly sourceDirectory: string;
  /** The bucket the transformer reads its templates from. */
  readonly bucket: s3.IBucket;
  /**
   * The key prefix the templates are written under, ending with `/`.
   * @default 'templates/'
   */
  readonly prefix?: string;
}

/**
 * Copies the default templates into the templates bucket at deploy time, where they can then be
 * edited without a redeploy of code; they stay when the stack is deleted. Acknowledges to cdk-nag
 * the findings on the deployment handler aws-cdk-lib provides, each with its reason.
 *
 * @example new TemplatesDeployment(stack, 'DefaultTemplates', { sourceDirectory: join(bundleDirectory, 'templates'), bucket });
 */
export class TemplatesDeployment extends Construct {
  constructor(scope: Construct, id: string, props: TemplatesDeploymentProps) {
    super(scope, id);
    const templates = existsSync(props.sourceDirectory)
      ? readdirSync(props.sourceDirectory).filter((file) => file.endsWith('.vm'))
      : [];
    checkProps(this, [
      {
        prop: 'sourceDirectory',
        value: props.sourceDirectory,
        valid: templates.length > 0,
        expected: 'a folder holding the default .vm templates',
        fix: 'run the app build (npx nx run ingestion:build), which bundles the templates beside the transformer',
      },
    ]);
    new s3deploy.BucketDeployment(this, 'Default', {
      sources: [s3deploy.Source.asset(props.sourceDirectory)],
      destinationBucket: props.bucket,
      destinationKeyPrefix: props.prefix ?? defaultTemplatesPrefix,
      retainOnDelete: true,
    });
    acknowledgeDeploymentHandler(Stack.of(this), props.bucket);
  }
}

function acknowledgeDeploymentHandler(stack: Stack, bucket: s3.IBucket): void {
  // The deployment's handler is a stack-wide singleton that aws-cdk-lib owns: its runtime, managed
  // policy and wildcard grants are not ours to set. It runs only while deploying, copying templates.
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (handler === undefined) return;
  const because = 'The CDK BucketDeployment handler, run only at deploy time to copy the templates, ';
  const reasons: Record<string, string> = {
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
  acknowledgeFindings(
    handler,
    Object.fromEntries(Object.entries(reasons).map(([id, reason]) => [id, because + reason])),
  );
  acknowledgeObjectWildcard(
    handler,
    bucket,
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
