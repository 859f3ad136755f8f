import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { nagAcknowledgementsIn, rolePermissionsOf, unreportedNagAcknowledgements } from '../testing';
import { acknowledgeFindings } from '../src/nag';

describe('unreportedNagAcknowledgements', () => {
  it('lists the acknowledgements that hide no finding of the pack, and only those', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    acknowledgeFindings(queue, {
      'AwsSolutions-SQS3': 'The queue is itself a dead-letter queue in this test, so it has none of its own.',
      'AwsSolutions-L1': 'No function here: this acknowledgement hides nothing and must be listed.',
    });

    // Act
    const unreported = unreportedNagAcknowledgements(stack);

    // Assert
    expect(
      nagAcknowledgementsIn(stack)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['AwsSolutions-L1', 'AwsSolutions-SQS3']);
    expect(unreported).toEqual([
      {
        path: 'Test/Queue',
        id: 'AwsSolutions-L1',
        reason: 'No function here: this acknowledgement hides nothing and must be listed.',
      },
    ]);
  });
});

describe('rolePermissionsOf', () => {
  it('gives each role its trust, managed policies and the statements of its policies', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: ['arn:aws:sqs:eu-west-1:123456789012:q'],
      }),
    );

    // Act
    const permissions = rolePermissionsOf(Template.fromStack(stack).toJSON());

    // Assert
    expect(Object.values(permissions)).toEqual([
      {
        trust: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
        managed: undefined,
        statements: [
          { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' },
        ],
      },
    ]);
  });

  it('refuses a role with an inline policy, which an assertion on the result would miss', () => {
    // Prepare
    const stack = new Stack(new App(), 'Test');
    new iam.Role(stack, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Inline: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
        }),
      },
    });

    // Act
    const read = () => rolePermissionsOf(Template.fromStack(stack).toJSON());

    // Assert
    expect(read).toThrow(
      /^rolePermissionsOf: the role Role[0-9A-F]{8} has Policies; expected grants in AWS::IAM::Policy resources only\.$/,
    );
  });
});
