import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one `<resource ARN>/<suffix>` wildcard.
 * cdk-nag names the finding after the resource's logical id, so the id is resolved here rather
 * than written out.
 */
export function acknowledgeObjectWildcard(
  policyHolder: IConstruct,
  resource: IConstruct,
  suffix: string,
  reason: string,
): void {
  const element = resource.node.defaultChild as CfnElement;
  const logicalId = Stack.of(resource).resolve(element.logicalId) as string;
  Validations.of(policyHolder).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${suffix}]`,
    reason,
  });
}
