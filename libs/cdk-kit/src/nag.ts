import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CdkAppError } from './errors';

/**
 * Acknowledges cdk-nag findings on a construct (and everything under it), each with its reason.
 * The reason should say why the finding is right for this resource, in words a reviewer can check.
 *
 * @example acknowledgeFindings(handler, { 'AwsSolutions-L1': 'aws-cdk-lib owns this runtime and updates it with each release.' })
 */
export function acknowledgeFindings(scope: IConstruct, reasons: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(reasons)) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one `<resource ARN>/<suffix>` wildcard, such
 * as the object keys under a prefix of a bucket. cdk-nag names the finding after the resource's
 * logical id, so the id is resolved here rather than written out.
 *
 * @example acknowledgeObjectWildcard(role, bucket, 'events/*', 'Firehose names the objects it writes under events/.')
 */
export function acknowledgeObjectWildcard(
  policyHolder: IConstruct,
  resource: IConstruct,
  suffix: string,
  reason: string,
): void {
  const element = resource.node.defaultChild as CfnElement | undefined;
  if (element === undefined) {
    throw new CdkAppError(
      `acknowledgeObjectWildcard: ${resource.node.path} has no CloudFormation resource of its own (is it ` +
        `imported?); expected a resource this app creates. Fix: acknowledge the finding by its ARN with acknowledgeFindings.`,
    );
  }
  const logicalId = Stack.of(resource).resolve(element.logicalId) as string;
  acknowledgeFindings(policyHolder, {
    [`AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${suffix}]`]: reason,
  });
}
