import { Lazy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';

/**
 * What the owner of each kind of QuickSight resource may do: the action sets the QuickSight console
 * gives an owner ("Owner" in Share), so the configured principal can use, edit, share and delete what
 * this app deploys (and edit the analysis in the console).
 */
export const ownerActions = {
  dataSource: [
    'quicksight:DescribeDataSource',
    'quicksight:DescribeDataSourcePermissions',
    'quicksight:PassDataSource',
    'quicksight:UpdateDataSource',
    'quicksight:DeleteDataSource',
    'quicksight:UpdateDataSourcePermissions',
  ],
  dataSet: [
    'quicksight:DescribeDataSet',
    'quicksight:DescribeDataSetPermissions',
    'quicksight:PassDataSet',
    'quicksight:DescribeIngestion',
    'quicksight:ListIngestions',
    'quicksight:UpdateDataSet',
    'quicksight:DeleteDataSet',
    'quicksight:CreateIngestion',
    'quicksight:CancelIngestion',
    'quicksight:UpdateDataSetPermissions',
  ],
  analysis: [
    'quicksight:RestoreAnalysis',
    'quicksight:UpdateAnalysisPermissions',
    'quicksight:DeleteAnalysis',
    'quicksight:DescribeAnalysisPermissions',
    'quicksight:QueryAnalysis',
    'quicksight:DescribeAnalysis',
    'quicksight:UpdateAnalysis',
  ],
  dashboard: [
    'quicksight:DescribeDashboard',
    'quicksight:ListDashboardVersions',
    'quicksight:UpdateDashboardPermissions',
    'quicksight:QueryDashboard',
    'quicksight:UpdateDashboard',
    'quicksight:DeleteDashboard',
    'quicksight:DescribeDashboardPermissions',
    'quicksight:UpdateDashboardPublishedVersion',
  ],
} as const;

/**
 * A QuickSight user or group ARN: `arn:<partition>:quicksight:<identity region>:<account>:user|group/<namespace>/<name>`.
 * Principals live in the account's QuickSight identity region, which may differ from the region the
 * resources are in.
 */
export const principalArnPattern =
  /^arn:aws(-cn|-us-gov)?:quicksight:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(user|group)\/[A-Za-z0-9._-]{1,64}\/[^\s/][^\s]*$/;

/** The parts of a principal ARN. */
export interface QuickSightPrincipal {
  readonly arn: string;
  readonly kind: 'user' | 'group';
  /** The QuickSight identity region, where the principal is described. */
  readonly identityRegion: string;
  readonly account: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The parts of a user or group ARN, or undefined when it is none.
 *
 * @example principalOf('arn:aws:quicksight:us-east-1:123456789012:user/default/alice')?.identityRegion // 'us-east-1'
 */
export function principalOf(arn: string): QuickSightPrincipal | undefined {
  if (!principalArnPattern.test(arn)) return undefined;
  const [, , , identityRegion, account, resource] = arn.split(':');
  const [kind, namespace, ...name] = resource.split('/');
  return { arn, kind: kind as 'user' | 'group', identityRegion, account, namespace, name: name.join('/') };
}

/**
 * The resource permissions of one QuickSight resource, added to by its construct's `grantOwner` and
 * rendered when the template is written, so principals can be granted after the resource is made.
 */
export class ResourcePermissions {
  private readonly principals: string[] = [];

  constructor(
    private readonly scope: IConstruct,
    private readonly actions: readonly string[],
  ) {}

  /** Makes a QuickSight user or group ARN an owner; checked as a prop. */
  add(principalArn: string): void {
    checkProps(this.scope, [
      {
        prop: 'principalArn',
        value: principalArn,
        valid: principalArnPattern.test(principalArn),
        expected:
          'a QuickSight user or group ARN, arn:aws:quicksight:<identity region>:<account>:user/<namespace>/<name> (or group/...)',
        fix: 'pass the Arn that `aws quicksight describe-user` or `describe-group` prints',
      },
    ]);
    if (!this.principals.includes(principalArn)) this.principals.push(principalArn);
  }

  /** The `Permissions` property: one entry per owner, none (the property left out) without owners. */
  render() {
    return Lazy.any(
      {
        produce: () =>
          this.principals.length === 0
            ? undefined
            : this.principals.map((principal) => ({ principal, actions: [...this.actions] })),
      },
      { omitEmptyArray: true },
    );
  }
}
