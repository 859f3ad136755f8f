import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQuickSightApp } from '../app/quicksight-app';
import type { ApiDefinition } from '../definition/definition-problems';

/** The dashboard as this code deploys it. */
export interface CodeDefinition {
  readonly dashboardId: string;
  /** The definition as CloudFormation and the QuickSight API write it (PascalCase keys). */
  readonly definition: ApiDefinition & Record<string, unknown>;
}

/**
 * The dashboard's definition as the app synthesizes it for this configuration: the template's
 * `AWS::QuickSight::Dashboard` `Definition`, with each `DataSetArn` (a CloudFormation reference until
 * deployed) written as the dataset id it points to, `arn:…:dataset/<id>` without the account and region.
 *
 * @example const { dashboardId, definition } = codeDefinitionOf({ projectDirectory: 'apps/quicksight', env: process.env });
 */
export function codeDefinitionOf(options: {
  projectDirectory: string;
  env: Readonly<Record<string, string | undefined>>;
}): CodeDefinition {
  const outdir = mkdtempSync(join(tmpdir(), 'quicksight-definition-'));
  try {
    const { app, stack } = createQuickSightApp({
      ...options,
      appProps: { outdir, context: { 'aws:cdk:disable-asset-staging': true } },
    });
    const template = app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const dataSetIds = new Map(
      Object.entries(template.Resources)
        .filter(([, resource]) => resource.Type === 'AWS::QuickSight::DataSet')
        .map(([logicalId, resource]) => [logicalId, resource.Properties.DataSetId as string]),
    );
    const dashboard = Object.values(template.Resources).find((r) => r.Type === 'AWS::QuickSight::Dashboard');
    const definition = dashboard?.Properties.Definition as CodeDefinition['definition'];
    return {
      dashboardId: dashboard?.Properties.DashboardId as string,
      definition: {
        ...definition,
        DataSetIdentifierDeclarations: (definition.DataSetIdentifierDeclarations ?? []).map((declaration) => {
          const logicalId = (declaration.DataSetArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
          return { ...declaration, DataSetArn: `arn:…:dataset/${dataSetIds.get(logicalId)}` };
        }),
      },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
