// The view resources of a deployment as the analytics stack makes them, for the handler tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { analyticsViews, createViewStatement } from '@engagement-db/sql';
import { athenaClientConfig } from '../src/handlers/athena-view-handler';
import { athenaViewPropertiesOf } from '../src/handlers/athena-view-properties';
import type { TemplateResource } from './cloudformation-emulator';

export const testWorkGroup = 'engagementdb-analytics';
export const testDatabase = 'engagementdb-glue-db';

/** An empty lake folder (the tables exist, with no rows); remove it with {@link removeLake}. */
export function emptyLake(): string {
  return mkdtempSync(join(tmpdir(), 'analytics-lake-'));
}

export function removeLake(lake: string): void {
  rmSync(lake, { recursive: true, force: true });
}

/** The real Athena client with the handler's settings, pointed at a loopback endpoint. */
export function athenaClientFor(endpoint: string, maxAttempts?: number): AthenaClient {
  return new AthenaClient(
    athenaClientConfig({
      endpoint,
      region: 'eu-west-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    }),
  );
}

/** The resource of one view: its statement over the canonical tables, in the test workgroup. */
export function viewResource(viewName: string, statement: string): TemplateResource {
  return {
    logicalId: `View${viewName.replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`,
    properties: athenaViewPropertiesOf({
      database: testDatabase,
      viewName,
      statement,
      workGroup: testWorkGroup,
    }),
  };
}

/** Every analytics view's resource, in the order of `analyticsViews` (each after what it reads). */
export function analyticsViewResources(): TemplateResource[] {
  return analyticsViews.map((view) => viewResource(view.name, createViewStatement(view)));
}
