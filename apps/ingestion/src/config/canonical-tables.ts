// The one place the ingestion app reads the canonical model's and the transformer's vocabulary:
// every construct and test takes the names, prefixes and columns from here.
import {
  TableName,
  conversationTable,
  eventTable,
  glueColumnsOf,
  glueDatabaseName,
} from '@engagement-db/canonical-model';

/** A Glue column as the canonical model derives it. */
export interface GlueColumn {
  readonly name: string;
  readonly type: string;
  readonly comment: string;
}

/** One canonical table as the ingestion app deploys it: its stream, its Glue table, its S3 prefix. */
export interface CanonicalTable {
  /** The delivery stream's name with the default names prefix. */
  readonly streamName: string;
  /** The Glue table's name with the default names prefix. */
  readonly glueName: string;
  /** First folder of the table's objects in the bucket (`events`), without a slash. */
  readonly prefix: string;
  /** The hourly partition column Glue projects from the folder path. */
  readonly partitionColumn: string;
  readonly columns: readonly GlueColumn[];
}

/**
 * The two canonical tables: events (Parquet, mapped by the transformer) and conversations (JSON lines).
 *
 * @example canonicalTables.events.prefix // 'events'
 */
export const canonicalTables = {
  events: {
    streamName: eventTable.deliveryStreamName,
    glueName: eventTable.glueName,
    prefix: eventTable.prefix,
    partitionColumn: eventTable.partitionColumn,
    columns: glueColumnsOf(eventTable),
  },
  conversations: {
    streamName: conversationTable.deliveryStreamName,
    glueName: conversationTable.glueName,
    prefix: conversationTable.prefix,
    partitionColumn: conversationTable.partitionColumn,
    columns: glueColumnsOf(conversationTable),
  },
} as const satisfies Record<string, CanonicalTable>;

/** The Glue database's name with the default names prefix. */
export const canonicalGlueDatabaseName = glueDatabaseName;

/** What the transformer maps records into when the events stream calls it, whatever the stream is named. */
export const transformerTable = TableName.events;
