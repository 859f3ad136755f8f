// Stand-in for the analytics views: the interface the views expose, with two of the eleven views.
import { conversationTable, eventTable, glueDatabaseName } from '@engagement-db/canonical-model';

/** A column of an analytics view: its name and its Athena type. */
export interface AnalyticsViewColumn {
  readonly name: string;
  readonly type: string;
}

/** One analytics view, written once in Athena's dialect and created both on Athena and on the local lake. */
export interface AnalyticsView {
  readonly name: string;
  readonly description: string;
  /** A leading comment and one SELECT, reading `"engagementdb-glue-db"."engagementdb-events-table"`. */
  readonly sql: string;
  /** The analytics views it reads. */
  readonly dependsOn: readonly string[];
  readonly columns: readonly AnalyticsViewColumn[];
}

const events = `"${glueDatabaseName}"."${eventTable.glueName}"`;
const millisToTimestamp = (millis: string) => `CAST(from_unixtime(${millis} / 1000.0) AS timestamp)`;
const firstStatusAt = (status: string) =>
  millisToTimestamp(`min(CASE WHEN status = '${status}' THEN timestamp END)`);
const rate = (numerator: string, denominator: string) =>
  `CASE WHEN ${denominator} = 0 THEN 0 ELSE round(CAST(${numerator} AS double) / ${denominator}, 4) END`;

const whatsappMessageStatus: AnalyticsView = {
  name: 'whatsapp_message_status',
  description:
    'One row per WhatsApp message the business sent: its addresses, its conversation and when each status arrived.',
  dependsOn: [],
  sql: `-- One row per WhatsApp message the business sent (messageid), with the time of each of its statuses.
SELECT
  messageid,
  arbitrary(sendingaddress) AS sending_address,
  arbitrary(destinationaddress[1]) AS destination_address,
  min(ingest_timestamp) AS ingest_timestamp,
  ${millisToTimestamp('min(timestamp)')} AS message_timestamp,
  ${firstStatusAt('accepted')} AS accepted_timestamp,
  ${firstStatusAt('sent')} AS sent_timestamp,
  ${firstStatusAt('delivered')} AS delivered_timestamp,
  ${firstStatusAt('read')} AS read_timestamp,
  ${firstStatusAt('failed')} AS failed_timestamp,
  max(channeldata['biz_opaque_callback_data']) AS biz_opaque,
  max(statuscode) AS status_code,
  max(channeldata['conversationid']) AS conversation_id,
  max(channeldata['conversationtype']) AS origin_type
FROM ${events}
WHERE channel = 'whatsapp' AND type = 'messageStatus' AND messageid IS NOT NULL
GROUP BY messageid
`,
  columns: [
    { name: 'messageid', type: 'varchar' },
    { name: 'sending_address', type: 'varchar' },
    { name: 'destination_address', type: 'varchar' },
    { name: 'ingest_timestamp', type: 'timestamp' },
    { name: 'message_timestamp', type: 'timestamp' },
    { name: 'accepted_timestamp', type: 'timestamp' },
    { name: 'sent_timestamp', type: 'timestamp' },
    { name: 'delivered_timestamp', type: 'timestamp' },
    { name: 'read_timestamp', type: 'timestamp' },
    { name: 'failed_timestamp', type: 'timestamp' },
    { name: 'biz_opaque', type: 'varchar' },
    { name: 'status_code', type: 'varchar' },
    { name: 'conversation_id', type: 'varchar' },
    { name: 'origin_type', type: 'varchar' },
  ],
};

// A read message was delivered and sent, even when those statuses never arrived.
const wasSent = 'COALESCE(sent_timestamp, delivered_timestamp, read_timestamp) IS NOT NULL';
const wasDelivered = 'COALESCE(delivered_timestamp, read_timestamp) IS NOT NULL';

const whatsappMessageConversionRates: AnalyticsView = {
  name: 'whatsapp_message_conversion_rates',
  description:
    'Per sending number, day and ingest hour: WhatsApp messages accepted, sent, delivered, read and failed, and the rates between them.',
  dependsOn: [whatsappMessageStatus.name],
  sql: `-- One row per sending number, message day and ingest hour: counts of each status and the rates between them.
SELECT
  sending_address,
  message_date,
  ingest_timestamp,
  total_messages,
  accepted_count,
  sent_count,
  delivered_count,
  read_count,
  failed_count,
  ${rate('sent_count', 'accepted_count')} AS accepted_to_sent_rate,
  ${rate('delivered_count', 'sent_count')} AS sent_to_delivered_rate,
  ${rate('read_count', 'delivered_count')} AS delivered_to_read_rate,
  ${rate('failed_count', 'sent_count')} AS sent_to_failed_rate
FROM (
  SELECT
    sending_address,
    CAST(message_timestamp AS date) AS message_date,
    date_trunc('hour', ingest_timestamp) AS ingest_timestamp,
    count(*) AS total_messages,
    count_if(accepted_timestamp IS NOT NULL) AS accepted_count,
    count_if(${wasSent}) AS sent_count,
    count_if(${wasDelivered}) AS delivered_count,
    count_if(read_timestamp IS NOT NULL) AS read_count,
    count_if(failed_timestamp IS NOT NULL) AS failed_count
  FROM "${glueDatabaseName}"."${whatsappMessageStatus.name}"
  GROUP BY 1, 2, 3
) AS counts
`,
  columns: [
    { name: 'sending_address', type: 'varchar' },
    { name: 'message_date', type: 'date' },
    { name: 'ingest_timestamp', type: 'timestamp' },
    { name: 'total_messages', type: 'bigint' },
    { name: 'accepted_count', type: 'bigint' },
    { name: 'sent_count', type: 'bigint' },
    { name: 'delivered_count', type: 'bigint' },
    { name: 'read_count', type: 'bigint' },
    { name: 'failed_count', type: 'bigint' },
    { name: 'accepted_to_sent_rate', type: 'double' },
    { name: 'sent_to_delivered_rate', type: 'double' },
    { name: 'delivered_to_read_rate', type: 'double' },
    { name: 'sent_to_failed_rate', type: 'double' },
  ],
};

/**
 * The analytics views, each after the views it reads.
 *
 * @example analyticsViews.map((view) => view.name) // ['whatsapp_message_status', ...]
 */
export const analyticsViews: readonly AnalyticsView[] = [
  whatsappMessageStatus,
  whatsappMessageConversionRates,
];

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The Athena statement that creates (or replaces) a view, in the Glue database and over the tables
 * given (the canonical names by default).
 *
 * @example createViewStatement(analyticsViews[0]) // 'CREATE OR REPLACE VIEW "engagementdb-glue-db"."whatsapp_message_status" AS\n-- ...'
 */
export function createViewStatement(
  view: AnalyticsView,
  names: { database?: string; eventsTable?: string; conversationsTable?: string } = {},
): string {
  const database = names.database ?? glueDatabaseName;
  const sql = view.sql
    .replaceAll(quoted(glueDatabaseName), quoted(database))
    .replaceAll(quoted(eventTable.glueName), quoted(names.eventsTable ?? eventTable.glueName))
    .replaceAll(
      quoted(conversationTable.glueName),
      quoted(names.conversationsTable ?? conversationTable.glueName),
    );
  return `CREATE OR REPLACE VIEW ${quoted(database)}.${quoted(view.name)} AS\n${sql}`;
}
