import { CdkAppError } from '@engagement-db/cdk-kit';

/**
 * The dashboard definition cannot be compiled to QuickSight: it breaks `checkDashboard`, or the compiled
 * definition breaks one of QuickSight's rules (`definitionProblems`). Each line says where and what.
 *
 * @example new DashboardCompilationError('engagement', ['sheets[sms].kpis[carriers]: ...'])
 */
export class DashboardCompilationError extends CdkAppError {
  readonly problems: readonly string[];

  constructor(dashboardId: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(
      `The ${dashboardId} dashboard cannot be compiled to QuickSight:\n- ${problems.join('\n- ')}\n` +
        'Fix: correct the definition in libs/dashboards (checkDashboard lists the same problems).',
      options,
    );
    this.name = 'DashboardCompilationError';
    this.problems = problems;
  }
}
