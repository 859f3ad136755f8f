import { DescribeDashboardDefinitionCommand, type QuickSightClient } from '@aws-sdk/client-quicksight';
import { errorOf } from './quicksight-client';

/** The deployed dashboard's definition and what QuickSight says of it. */
export interface DeployedDashboard {
  readonly name: string | undefined;
  /** `CREATION_SUCCESSFUL`, `UPDATE_FAILED`, ... */
  readonly status: string | undefined;
  /** Errors QuickSight found in the published version, one line each. */
  readonly errors: readonly string[];
  /** The definition as the API gives it (PascalCase), dates as ISO strings. */
  readonly definition: Record<string, unknown>;
}

export type DashboardExportResult =
  | { readonly ok: true; readonly value: DeployedDashboard }
  | { readonly ok: false; readonly error: { readonly kind: string; readonly message: string } };

/**
 * The published definition of a deployed dashboard (`DescribeDashboardDefinition`). Nothing throws:
 * a missing dashboard, a denied call or throttling after retries is a value with one line to print.
 *
 * @example const result = await exportDashboard(client, { accountId: '123456789012', dashboardId: 'engagementdb-engagement' });
 */
export async function exportDashboard(
  client: QuickSightClient,
  target: { readonly accountId: string; readonly dashboardId: string },
): Promise<DashboardExportResult> {
  try {
    const output = await client.send(
      new DescribeDashboardDefinitionCommand({
        AwsAccountId: target.accountId,
        DashboardId: target.dashboardId,
      }),
    );
    return {
      ok: true,
      value: {
        name: output.Name,
        status: output.ResourceStatus,
        errors: (output.Errors ?? []).map((error) => `${error.Type ?? 'ERROR'}: ${error.Message ?? ''}`),
        definition: JSON.parse(JSON.stringify(output.Definition ?? {})) as Record<string, unknown>,
      },
    };
  } catch (error) {
    const { name, message } = errorOf(error);
    const where = `the dashboard ${target.dashboardId} of account ${target.accountId}`;
    const fixes: Record<string, string> = {
      ResourceNotFoundException:
        'deploy it first (`npx nx run quicksight:deploy`), or check the region and namesPrefix',
      AccessDeniedException: `use credentials allowed quicksight:DescribeDashboard on ${target.dashboardId}`,
      ThrottlingException: 'run the command again in a minute',
    };
    return {
      ok: false,
      error: {
        kind: name,
        message: `Could not read ${where}: ${name}: ${message}.${fixes[name] ? ` Fix: ${fixes[name]}.` : ''}`,
      },
    };
  }
}
