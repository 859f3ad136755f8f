import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { emptyStack, removeTestOutdirs, testBundleDirectory, thrownBy } from '../../test/test-stack';
import { TemplatesDeployment } from './templates-deployment';

afterAll(() => {
  removeTestOutdirs();
});

describe('TemplatesDeployment', () => {
  it('copies the templates under templates/ and keeps them when the stack is deleted', () => {
    // Prepare
    const stack = emptyStack();
    const bucket = new s3.Bucket(stack, 'Templates');

    // Act
    new TemplatesDeployment(stack, 'DefaultTemplates', {
      sourceDirectory: join(testBundleDirectory, 'templates'),
      bucket,
    });

    // Assert
    Template.fromStack(stack).hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) },
      DestinationBucketKeyPrefix: 'templates/',
      RetainOnDelete: true,
    });
  });

  it('acknowledges the findings on the handler aws-cdk-lib owns, each with its reason', () => {
    // Prepare
    const stack = emptyStack();

    // Act
    new TemplatesDeployment(stack, 'DefaultTemplates', {
      sourceDirectory: join(testBundleDirectory, 'templates'),
      bucket: new s3.Bucket(stack, 'Templates'),
    });

    // Assert
    const handler = stack.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    const acknowledged =
      handler?.node.metadata.flatMap((entry) => Object.entries(entry.data as object)) ?? [];
    expect(acknowledged.map(([id]) => id.replace(/^Annotation::/, ''))).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-L1',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
      'AwsSolutions-IAM5[Resource::<Templates785E9C36.Arn>/*]',
    ]);
    for (const [, reason] of acknowledged) {
      expect(reason).toMatch(
        /^The CDK BucketDeployment handler, run only at deploy time to copy the templates, .{20,}/,
      );
    }
  });

  it('rejects a folder without templates, saying how to build them', () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), 'ingestion-no-templates-'));

    // Act
    const error = thrownBy(() => {
      const stack = emptyStack();
      new TemplatesDeployment(stack, 'DefaultTemplates', {
        sourceDirectory: empty,
        bucket: new s3.Bucket(stack, 'T'),
      });
    });

    // Assert
    rmSync(empty, { recursive: true, force: true });
    expect(error.message).toBe(
      'Invalid props for TemplatesDeployment at Test/DefaultTemplates:\n' +
        `- sourceDirectory is ${JSON.stringify(empty)}; expected a folder holding the default .vm templates. ` +
        'Fix: run the app build (npx nx run ingestion:build), which bundles the templates beside the transformer.',
    );
  });
});
