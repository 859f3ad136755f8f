// One example query per analytics view, by view name: a saved query in the workgroup and the
// example of the README. Written for the canonical names; the catalog renames them per deployment.

/** An example query of a view: what it answers and its SQL. */
export interface ViewExample {
  /** What the query answers, as the title of the saved query. */
  readonly title: string;
  readonly sql: string;
}

const db = '"engagementdb-glue-db"';
const lastDays = (days: number) => `ingest_timestamp >= DATE_ADD('day', -${days}, CURRENT_TIMESTAMP)`;
const ratio = (numerator: string, denominator: string) =>
  `round(CAST(sum(${numerator}) AS double) / nullif(sum(${denominator}), 0), 4)`;

/**
 * The example queries, by the name of the view they read. Rates over several rows are ratios of
 * summed counts, never averages of rates.
 *
 * @example viewExamples.email_conversion_rates_view.title // 'Delivery, open and click rates by campaign, last 30 days'
 */
export const viewExamples: Readonly<Record<string, ViewExample>> = {
  email_message_status: {
    title: 'Emails by last status, last 7 days',
    sql: `SELECT last_status, count(*) AS messages
FROM ${db}."email_message_status"
WHERE ${lastDays(7)}
GROUP BY last_status
ORDER BY messages DESC
`,
  },
  email_conversion_rates_view: {
    title: 'Delivery, open and click rates by campaign, last 30 days',
    sql: `SELECT
  campaign,
  sum(total_emails_sent) AS sent,
  ${ratio('total_deliveries', 'total_emails_sent')} AS delivery_rate,
  ${ratio('total_emails_opened', 'total_deliveries')} AS open_rate,
  ${ratio('total_emails_clicked', 'total_emails_opened')} AS open_to_click_rate
FROM ${db}."email_conversion_rates_view"
WHERE ${lastDays(30)}
GROUP BY campaign
ORDER BY sent DESC
`,
  },
  sms_message_status: {
    title: 'Failed SMS messages with carrier and reason, last 7 days',
    sql: `SELECT destination_address, iso_country_code, carrier_name, last_status, status_description, total_price
FROM ${db}."sms_message_status"
WHERE message_status = 'failed' AND ${lastDays(7)}
ORDER BY message_timestamp DESC
LIMIT 100
`,
  },
  media_message_status: {
    title: 'MMS messages still pending an hour after sending, last 2 days',
    sql: `SELECT destination_address, sending_address, last_status, message_timestamp
FROM ${db}."media_message_status"
WHERE message_status = 'pending'
  AND message_timestamp < DATE_ADD('hour', -1, CURRENT_TIMESTAMP)
  AND ${lastDays(2)}
ORDER BY message_timestamp
`,
  },
  voice_message_status: {
    title: 'Answered calls and their average duration by country, last 30 days',
    sql: `SELECT iso_country_code, count(*) AS calls, avg(call_duration) AS avg_call_duration
FROM ${db}."voice_message_status"
WHERE message_status = 'success' AND ${lastDays(30)}
GROUP BY iso_country_code
ORDER BY calls DESC
`,
  },
  sms_conversion_rates_view: {
    title: 'SMS success rate and cost by country, last 30 days',
    sql: `SELECT
  iso_country_code,
  sum(total_messages) AS messages,
  ${ratio('successful_messages', 'total_messages')} AS success_rate,
  sum(total_cost) AS total_cost
FROM ${db}."sms_conversion_rates_view"
WHERE ${lastDays(30)}
GROUP BY iso_country_code
ORDER BY messages DESC
`,
  },
  media_conversion_rates_view: {
    title: 'MMS messages, success rate and cost per sending number and day, last 30 days',
    sql: `SELECT
  sending_address,
  message_date,
  sum(total_messages) AS messages,
  ${ratio('successful_messages', 'total_messages')} AS success_rate,
  sum(total_cost) AS total_cost
FROM ${db}."media_conversion_rates_view"
WHERE ${lastDays(30)}
GROUP BY sending_address, message_date
ORDER BY message_date DESC, messages DESC
`,
  },
  voice_conversion_rates_view: {
    title: 'Calls, answer rate and price per day, last 30 days',
    sql: `SELECT
  message_date,
  sum(total_messages) AS calls,
  ${ratio('successful_messages', 'total_messages')} AS success_rate,
  sum(total_message_price) AS total_price
FROM ${db}."voice_conversion_rates_view"
WHERE ${lastDays(30)}
GROUP BY message_date
ORDER BY message_date
`,
  },
  whatsapp_message_status: {
    title: 'Failed WhatsApp messages and their error codes, last 7 days',
    sql: `SELECT destination_address, status_code, failed_timestamp
FROM ${db}."whatsapp_message_status"
WHERE failed_timestamp IS NOT NULL AND ${lastDays(7)}
ORDER BY failed_timestamp DESC
LIMIT 100
`,
  },
  whatsapp_conversation_view: {
    title: 'WhatsApp conversations by origin type: count, messages and length, last 30 days',
    sql: `SELECT
  origin_type,
  count(*) AS conversations,
  avg(total_messages) AS avg_messages,
  avg(conversation_duration_minutes) AS avg_minutes
FROM ${db}."whatsapp_conversation_view"
WHERE ${lastDays(30)}
GROUP BY origin_type
ORDER BY conversations DESC
`,
  },
  whatsapp_message_conversion_rates: {
    title: 'WhatsApp sent-to-delivered and delivered-to-read rates per sending number, last 30 days',
    sql: `SELECT
  sending_address,
  sum(total_messages) AS messages,
  ${ratio('delivered_count', 'sent_count')} AS sent_to_delivered_rate,
  ${ratio('read_count', 'delivered_count')} AS delivered_to_read_rate
FROM ${db}."whatsapp_message_conversion_rates"
WHERE ${lastDays(30)}
GROUP BY sending_address
ORDER BY messages DESC
`,
  },
};
