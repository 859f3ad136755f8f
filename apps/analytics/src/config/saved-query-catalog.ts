// The saved queries the workgroup offers: the documented sample queries and one example per view,
// with the canonical names replaced by those of the deployment.
import { conversationTable, eventTable, glueDatabaseName } from '@engagement-db/canonical-model';
import type { SharedResourceNames } from '@engagement-db/cdk-kit';
import { type AnalyticsView, sampleQueries } from '@engagement-db/sql';
import type { SavedQuery } from '../constructs/saved-queries';
import { viewExamples } from './view-examples';

/** The SQL with the quoted canonical database and table names replaced by the deployment's. */
export function withDeploymentNames(sql: string, names: SharedResourceNames): string {
  return [
    [glueDatabaseName, names.glueDatabase],
    [eventTable.glueName, names.eventsTable],
    [conversationTable.glueName, names.conversationsTable],
  ].reduce((text, [canonical, deployed]) => text.replaceAll(`"${canonical}"`, `"${deployed}"`), sql);
}

/**
 * The saved queries of a deployment: the seven documented sample queries, then one example per
 * view. Throws when a view has no example, so a new view cannot ship without one.
 *
 * @example savedQueriesOf(analyticsViews, sharedResourceNamesOf('engagementdb')).length // 7 + the views
 */
export function savedQueriesOf(views: readonly AnalyticsView[], names: SharedResourceNames): SavedQuery[] {
  const missing = views.filter((view) => viewExamples[view.name] === undefined).map((view) => view.name);
  if (missing.length > 0) {
    throw new Error(
      `savedQueriesOf: no example query for the views ${missing.join(', ')}; expected one per view. ` +
        'Fix: add it to apps/analytics/src/config/view-examples.ts.',
    );
  }
  const samples = Object.values(sampleQueries).map((query) => ({
    name: query.title,
    description: 'A sample query of the engagement database documentation, on the events table.',
    sql: withDeploymentNames(query.sql, names),
  }));
  const examples = views.map((view) => ({
    name: `${view.name}: ${viewExamples[view.name].title}`,
    description: view.description,
    sql: withDeploymentNames(viewExamples[view.name].sql, names),
  }));
  return [...samples, ...examples];
}
