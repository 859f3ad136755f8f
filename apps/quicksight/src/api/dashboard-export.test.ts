import { join } from 'node:path';
import { type QuickSightApiServer, startQuickSightApiServer } from '../../test/quicksight-api-server';
import { codeDefinitionOf } from './code-definition';
import { exportDashboard } from './dashboard-export';
import { diffDefinitions } from './definition-diff';
import { formatDifferences } from './format-differences';

const account = '123456789012';
let server: QuickSightApiServer;
let code: ReturnType<typeof codeDefinitionOf>;

beforeAll(() => {
  code = codeDefinitionOf({ projectDirectory: join(__dirname, '..', '..'), env: {} });
});

beforeEach(async () => {
  server = await startQuickSightApiServer();
});

afterEach(async () => {
  await server.close();
});

/** The code's definition as DescribeDashboardDefinition answers it: real ARNs, dates as epoch seconds. */
function deployedCopy(): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(code.definition)) as {
    DataSetIdentifierDeclarations: { Identifier: string; DataSetArn: string }[];
    ParameterDeclarations: {
      DateTimeParameterDeclaration?: { DefaultValues: { StaticValues?: unknown[] } };
    }[];
  };
  for (const declaration of copy.DataSetIdentifierDeclarations)
    declaration.DataSetArn = declaration.DataSetArn.replace(
      'arn:…',
      `arn:aws:quicksight:eu-west-1:${account}`,
    );
  for (const parameter of copy.ParameterDeclarations) {
    const values = parameter.DateTimeParameterDeclaration?.DefaultValues.StaticValues;
    if (values)
      parameter.DateTimeParameterDeclaration!.DefaultValues.StaticValues = values.map(
        (v) => Date.parse(v as string) / 1000,
      );
  }
  return copy;
}

describe('exportDashboard', () => {
  it('reads the published definition of the dashboard, which equals the code’s when nobody edited it', async () => {
    // Prepare
    server.dashboards.set(`${account}/${code.dashboardId}`, {
      Name: 'Messaging dashboard',
      ResourceStatus: 'CREATION_SUCCESSFUL',
      Errors: [],
      Definition: deployedCopy(),
    });

    // Act
    const result = await exportDashboard(server.client('eu-west-1'), {
      accountId: account,
      dashboardId: code.dashboardId,
    });

    // Assert
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({
      name: 'Messaging dashboard',
      status: 'CREATION_SUCCESSFUL',
      errors: [],
    });
    expect(server.requests.map((r) => [r.path, r.signedRegion])).toEqual([
      [`/accounts/${account}/dashboards/${code.dashboardId}/definition`, 'eu-west-1'],
    ]);
    expect(diffDefinitions(code.definition, result.value.definition)).toEqual([]);
    expect(formatDifferences([])).toBe('The deployed dashboard is the definition in code: no difference.');
  });

  it('reports a title edited, a visual added and a filter removed in the console, by their ids', async () => {
    // Prepare
    const deployed = deployedCopy() as {
      Sheets: { SheetId: string; Title: string; Visuals: Record<string, { VisualId: string }>[] }[];
      FilterGroups: { FilterGroupId: string }[];
    };
    const email = deployed.Sheets.find((sheet) => sheet.SheetId === 'email')!;
    email.Title = 'E-mail';
    email.Visuals.push({ EmptyVisual: { VisualId: 'email-new', DataSetIdentifier: 'email-rates' } as never });
    const removed = deployed.FilterGroups.splice(0, 1)[0];
    server.dashboards.set(`${account}/${code.dashboardId}`, {
      Definition: deployed,
      ResourceStatus: 'UPDATE_SUCCESSFUL',
    });

    // Act
    const result = await exportDashboard(server.client('eu-west-1'), {
      accountId: account,
      dashboardId: code.dashboardId,
    });

    // Assert
    if (!result.ok) throw new Error(result.error.message);
    const differences = diffDefinitions(code.definition, result.value.definition);
    expect(differences).toEqual([
      { path: `FilterGroups[${removed.FilterGroupId}]`, kind: 'code-only', code: removed },
      { path: 'Sheets[email].Title', kind: 'changed', code: 'Email', deployed: 'E-mail' },
      {
        path: 'Sheets[email].Visuals[email-new]',
        kind: 'deployed-only',
        deployed: { EmptyVisual: { VisualId: 'email-new', DataSetIdentifier: 'email-rates' } },
      },
    ]);
    expect(formatDifferences(differences).split('\n')).toEqual([
      '3 differences between the code and the deployed dashboard (+ only deployed, - only in code):',
      expect.stringMatching(
        /^- FilterGroups\[email-campaign-performance-top\]: \{"CrossDataset":"SINGLE_DATASET",.*…$/,
      ),
      '~ Sheets[email].Title: "Email" → "E-mail"',
      '+ Sheets[email].Visuals[email-new]: {"EmptyVisual":{"VisualId":"email-new","DataSetIdentifier":"email-rates"}}',
    ]);
  });

  it.each([
    ['ResourceNotFoundException', /Dashboard engagementdb-engagement not found\. Fix: deploy it first/],
    [
      'AccessDeniedException',
      /AccessDeniedException: Simulated AccessDeniedException\. Fix: use credentials allowed quicksight:DescribeDashboard/,
    ],
    [
      'ThrottlingException',
      /ThrottlingException: Simulated ThrottlingException\. Fix: run the command again in a minute/,
    ],
  ] as const)('reports %s as a value with its fix', async (name, message) => {
    // Prepare
    if (name !== 'ResourceNotFoundException') server.failures.push(name, name);

    // Act
    const result = await exportDashboard(server.client('eu-west-1', 2), {
      accountId: account,
      dashboardId: code.dashboardId,
    });

    // Assert
    expect(result).toEqual({ ok: false, error: { kind: name, message: expect.stringMatching(message) } });
  });
});
