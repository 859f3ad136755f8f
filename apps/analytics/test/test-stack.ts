import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { testFoldersOf } from '@engagement-db/cdk-kit/testing';
export { thrownBy } from '@engagement-db/cdk-kit/testing';
import type { AnalyticsView } from '@engagement-db/sql';
import { AnalyticsStack, defaultBundleDirectory } from '../src/app/analytics-stack';
import { type AnalyticsConfig, analyticsConfigSchema } from '../src/config/analytics-config';
import { AthenaViewProvider } from '../src/constructs/athena-view-provider';
import { AthenaWorkgroup } from '../src/constructs/athena-workgroup';

const folders = testFoldersOf('analytics', join(__dirname, '..'));

/** A cloud assembly folder under the system temp folder, removed by {@link removeTestOutdirs}. */
export const testOutdir = folders.outdir;

/** An app folder of its own (the app's package.json and the config.json given), removed by {@link removeTestOutdirs}. */
export const testProjectDirectory = folders.projectDirectory;

/** Removes every folder {@link testOutdir} and {@link testProjectDirectory} made; call it in `afterAll`. */
export const removeTestOutdirs = folders.removeAll;

// Without CloudFormation's built-in template validation (the app test runs it) and without copying assets.
function testApp(): App {
  return new App({
    outdir: testOutdir(),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:disable-asset-staging': true },
  });
}

/** An empty stack in an app of its own, for the test of one construct. */
export function emptyStack(): Stack {
  return new Stack(testApp(), 'Test');
}

/** The handler bundle jest's global setup builds. */
export const testBundleDirectory = defaultBundleDirectory;

/** An analytics stack in an app of its own, with the default settings except those given. */
export function testStack(
  config: Partial<AnalyticsConfig> = {},
  views?: readonly AnalyticsView[],
): AnalyticsStack {
  return new AnalyticsStack(testApp(), 'Analytics', {
    config: { ...analyticsConfigSchema.defaults, ...config },
    views,
  });
}

/** An `acme-analytics` workgroup over a new results bucket. */
export function workgroupIn(stack: Stack): AthenaWorkgroup {
  return new AthenaWorkgroup(stack, 'Workgroup', {
    workgroupName: 'acme-analytics',
    resultsBucket: new s3.Bucket(stack, 'Results'),
  });
}

/** A view provider for the `acme-glue-db` database over {@link workgroupIn}. */
export function providerIn(
  stack: Stack,
  workgroup: AthenaWorkgroup = workgroupIn(stack),
): AthenaViewProvider {
  return new AthenaViewProvider(stack, 'Views', {
    workgroup,
    databaseName: 'acme-glue-db',
    tableNames: ['acme-events-table', 'acme-conversations-table'],
    bundleDirectory: testBundleDirectory,
    functionNamePrefix: 'acme-athena-view',
  });
}
