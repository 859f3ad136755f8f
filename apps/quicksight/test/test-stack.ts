import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { testFoldersOf } from '@engagement-db/cdk-kit/testing';
export { thrownBy } from '@engagement-db/cdk-kit/testing';
import type { Dashboard } from '@engagement-db/dashboards';
import { QuickSightStack } from '../src/app/quicksight-stack';
import { type QuickSightConfig, quickSightConfigSchema } from '../src/config/quicksight-config';
import type { ApiDefinition } from '../src/definition/definition-problems';

const folders = testFoldersOf('quicksight', join(__dirname, '..'));

/** A cloud assembly folder under the system temp folder, removed by {@link removeTestOutdirs}. */
export const testOutdir = folders.outdir;

/** An app folder of its own (the app's package.json and the config.json given), removed by {@link removeTestOutdirs}. */
export const testProjectDirectory = folders.projectDirectory;

/** Removes every folder made so far; call it in `afterAll`. */
export const removeTestOutdirs = folders.removeAll;

/** An app without CloudFormation's schema validation (one test runs it on a sheet's worth). */
export function testApp(validation = false): App {
  return new App({ outdir: testOutdir(), builtinCloudFormationValidation: validation });
}

/** An empty stack in an app of its own, for the test of one construct. */
export function emptyStack(): Stack {
  return new Stack(testApp(), 'Test');
}

/** A QuickSight stack in an app of its own, with the default settings except those given. */
export function testStack(
  config: Partial<QuickSightConfig> = {},
  dashboard?: Dashboard,
  app = testApp(),
): QuickSightStack {
  return new QuickSightStack(app, 'QuickSight', {
    config: { ...quickSightConfigSchema.defaults, ...config },
    dashboard,
  });
}

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };

/** The resources of a template by logical id. */
export function resourcesOf(template: Template): Record<string, Resource> {
  return template.toJSON().Resources as Record<string, Resource>;
}

/** The resources of one type, by logical id. */
export function ofType(template: Template, type: string): [string, Resource][] {
  return Object.entries(resourcesOf(template)).filter(([, resource]) => resource.Type === type);
}

/** The `Definition` of the template's one resource of a type (the dashboard, the analysis). */
export function definitionOf(
  template: Template,
  type = 'AWS::QuickSight::Dashboard',
): ApiDefinition & Record<string, unknown> {
  const found = ofType(template, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][1].Properties.Definition as ApiDefinition & Record<string, unknown>;
}
