import { conversationTable, eventTable, glueDatabaseName } from '@engagement-db/canonical-model';

/**
 * The names the CDK apps share, for one names prefix: what one app creates and a later one uses
 * (ingestion → analytics → quicksight). Apps never import each other; each takes these names from
 * here, so they cannot disagree.
 */
export interface SharedResourceNames {
  /** The Glue database of the canonical tables and the analytics views. */
  readonly glueDatabase: string;
  readonly eventsTable: string;
  readonly conversationsTable: string;
  readonly eventsStream: string;
  readonly conversationsStream: string;
  /** The Athena workgroup the analytics app creates and QuickSight queries through. */
  readonly athenaWorkgroup: string;
  /** SSM parameters an app writes for the apps deployed after it: names it cannot fix in advance. */
  readonly parameters: {
    /** Written by the ingestion app: the bucket of `events/`, `conversations/` and `errors/`. */
    readonly eventsBucketName: string;
    /** Written by the analytics app: the bucket of the Athena query results. */
    readonly queryResultsBucketName: string;
  };
}

const canonicalPrefix = 'engagementdb';

/**
 * The shared names of a deployment. With the default prefix `engagementdb` they are the canonical
 * names of `@engagement-db/canonical-model` (those the sample queries and the local lake use);
 * another prefix replaces `engagementdb` in every one of them.
 *
 * @example sharedResourceNamesOf('acme').glueDatabase // 'acme-glue-db'
 */
export function sharedResourceNamesOf(namesPrefix: string): SharedResourceNames {
  const named = (canonical: string) => `${namesPrefix}${canonical.slice(canonicalPrefix.length)}`;
  return {
    glueDatabase: named(glueDatabaseName),
    eventsTable: named(eventTable.glueName),
    conversationsTable: named(conversationTable.glueName),
    eventsStream: named(eventTable.deliveryStreamName),
    conversationsStream: named(conversationTable.deliveryStreamName),
    athenaWorkgroup: `${namesPrefix}-analytics`,
    parameters: {
      eventsBucketName: `/${namesPrefix}/ingestion/events-bucket-name`,
      queryResultsBucketName: `/${namesPrefix}/analytics/query-results-bucket-name`,
    },
  };
}
