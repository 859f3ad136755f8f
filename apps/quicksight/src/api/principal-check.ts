import { DescribeGroupCommand, DescribeUserCommand, type QuickSightClient } from '@aws-sdk/client-quicksight';
import type { QuickSightPrincipal } from '../constructs/quicksight-permissions';
import { errorOf } from './quicksight-client';

/** Why a principal cannot own what the app deploys. */
export const PrincipalCheckFailureKind = {
  /** No such user or group in the namespace of the identity region. */
  notFound: 'not-found',
  /** A reader cannot own an analysis or a dataset. */
  reader: 'reader',
  /** The caller may not describe it. */
  accessDenied: 'access-denied',
  /** QuickSight kept throttling after the SDK's retries. */
  throttled: 'throttled',
  /** Any other error from QuickSight or the network. */
  failed: 'failed',
} as const;
export type PrincipalCheckFailureKind =
  (typeof PrincipalCheckFailureKind)[keyof typeof PrincipalCheckFailureKind];

export type PrincipalCheckResult =
  | { readonly ok: true; readonly value: string }
  | {
      readonly ok: false;
      readonly error: { readonly kind: PrincipalCheckFailureKind; readonly message: string };
    };

const readerRoles = new Set(['READER', 'READER_PRO']);

/**
 * Whether the configured principal exists and can own the data source, datasets, analysis and
 * dashboard: `DescribeUser` or `DescribeGroup` in its namespace, through a client of the principal's
 * identity region (where QuickSight keeps users and groups). A user must be an author or admin.
 * Nothing throws: every outcome is a value with one line to print.
 *
 * @example
 * const result = await checkPrincipal(quickSightClientOf({ region: principal.identityRegion }), principal);
 * console.log(result.ok ? result.value : result.error.message);
 */
export async function checkPrincipal(
  client: QuickSightClient,
  principal: QuickSightPrincipal,
): Promise<PrincipalCheckResult> {
  const what = `QuickSight ${principal.kind} ${principal.name} (namespace ${principal.namespace}, account ${principal.account}, identity region ${principal.identityRegion})`;
  try {
    if (principal.kind === 'group') {
      await client.send(
        new DescribeGroupCommand({
          AwsAccountId: principal.account,
          Namespace: principal.namespace,
          GroupName: principal.name,
        }),
      );
      return { ok: true, value: `The ${what} exists.` };
    }
    const { User } = await client.send(
      new DescribeUserCommand({
        AwsAccountId: principal.account,
        Namespace: principal.namespace,
        UserName: principal.name,
      }),
    );
    const role = User?.Role ?? 'unknown';
    if (readerRoles.has(role)) {
      return failure(
        PrincipalCheckFailureKind.reader,
        `The ${what} is a ${role}: a reader cannot own an analysis or datasets. Fix: make the user an AUTHOR or ADMIN ` +
          '(Manage QuickSight > Manage users), or configure an author’s ARN as principalArn.',
      );
    }
    const pending = User?.Active === false ? ', not yet activated (the invitation is still open)' : '';
    return { ok: true, value: `The ${what} exists: ${role}${pending}.` };
  } catch (error) {
    const { name, message } = errorOf(error);
    switch (name) {
      case 'ResourceNotFoundException':
        return failure(
          PrincipalCheckFailureKind.notFound,
          `No ${what}: ${message}. Fix: correct principalArn (\`aws quicksight list-${principal.kind}s --aws-account-id ` +
            `${principal.account} --namespace ${principal.namespace} --region ${principal.identityRegion}\` lists them), ` +
            `or create the ${principal.kind} first.`,
        );
      case 'AccessDeniedException':
        return failure(
          PrincipalCheckFailureKind.accessDenied,
          `Not allowed to describe the ${what}: ${message}. Fix: deploy with credentials allowed ` +
            `quicksight:Describe${principal.kind === 'user' ? 'User' : 'Group'} on ${principal.arn}.`,
        );
      case 'ThrottlingException':
        return failure(
          PrincipalCheckFailureKind.throttled,
          `QuickSight throttled the description of the ${what} after retries: ${message}. Fix: run the deploy again in a minute.`,
        );
      default:
        return failure(
          PrincipalCheckFailureKind.failed,
          `Could not describe the ${what}: ${name}: ${message}.`,
        );
    }
  }
}

function failure(kind: PrincipalCheckFailureKind, message: string): PrincipalCheckResult {
  return { ok: false, error: { kind, message } };
}
