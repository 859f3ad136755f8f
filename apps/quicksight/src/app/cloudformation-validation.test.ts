import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { type Dashboard, engagementDashboard } from '@engagement-db/dashboards';
import { removeTestOutdirs, testApp, testStack } from '../../test/test-stack';

afterAll(() => {
  removeTestOutdirs();
});

/** The dashboard with one sheet and the datasets that sheet reads. */
function oneSheetOf(sheetId: string): Dashboard {
  const sheet = engagementDashboard.sheets.find((candidate) => candidate.id === sheetId)!;
  const read = new Set([...sheet.kpis, ...sheet.visuals].map((visual) => visual.dataset));
  return {
    ...engagementDashboard,
    sheets: [sheet],
    datasets: engagementDashboard.datasets.filter((dataset) => read.has(dataset.id)),
  };
}

type Report = {
  pluginReports: {
    violations: {
      description: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
};

describe('QuickSightStack under CloudFormation’s resource schemas', () => {
  // The CDK's built-in validation takes minutes of CPU on the whole dashboard (the app turns it off):
  // one sheet's worth checks every kind of visual, filter and control the compiler writes.
  it('breaks no schema rule with a sheet’s worth of the dashboard, where a wrong value is reported', () => {
    // Prepare
    const app = testApp(true);
    testStack({}, oneSheetOf('email'), app);
    const broken = new Stack(app, 'Broken');
    new CfnDashboard(broken, 'Dashboard', {
      awsAccountId: '123456789012',
      dashboardId: 'broken',
      name: 'broken',
      validationStrategy: { mode: 'SLOPPY' },
    });

    // Act
    app.synth();
    const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as Report;

    // Assert
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => [
        violation.violatingConstructs.map((construct) => construct.constructPath).join(),
        violation.description,
      ]),
    );
    expect(violations).toEqual([
      ['Broken/Dashboard', "ValidationStrategy.Mode: 'SLOPPY' is not one of ['STRICT', 'LENIENT']"],
    ]);
  }, 180_000);
});
