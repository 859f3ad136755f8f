/**
 * The columns of every analytics view, as Athena types them: the contract dashboards, saved queries
 * and users' queries rely on. Written as a column list (`name type, ...`); the tests check each view's
 * SQL gives exactly these columns on the local engine.
 */
const timestamps = (names: readonly string[]) => names.map((name) => `${name} timestamp`).join(', ');

const textEvents = [
  'delivered',
  'successful',
  'queued',
  'pending',
  'blocked',
  'ttl_expired',
  'carrier_unreachable',
  'invalid',
  'invalid_message',
  'carrier_blocked',
  'unreachable',
  'spam',
  'unknown',
];
const mediaEvents = [...textEvents, 'type_unsupported', 'size_exceeded', 'inaccessible'];
const voiceEvents = [
  'initiated',
  'ringing',
  'answered',
  'completed',
  'busy',
  'no_answer',
  'ttl_expired',
  'failed',
];

const messageStatusColumns = (prefix: string, events: readonly string[], voice: boolean) => `
  messageid varchar, iso_country_code varchar, type varchar, message_price double,
  ${voice ? 'call_duration integer' : 'carrier_fee double, message_parts integer'}, total_price double,
  destination_address varchar, sending_address varchar, carrier_name varchar,
  ${timestamps(events.map((event) => `${prefix}_${event}`))},
  context map(varchar,varchar), ingest_timestamp timestamp, message_timestamp timestamp,
  last_status varchar, status_description varchar, message_status varchar`;

const conversionRateColumns = (voice: boolean) => `
  message_date date, iso_country_code varchar, ${voice ? '' : 'type varchar, '}sending_address varchar,
  ingest_timestamp timestamp, total_messages bigint, successful_messages bigint,
  success_rate_percentage double, total_message_price double,
  ${voice ? 'avg_call_duration double' : 'total_carrier_fee double, total_cost double, avg_message_parts double'}`;

/** Each view's columns, in order, as `name type` pairs separated by commas. */
export const viewColumnLists = {
  email_message_status: `
    messageid varchar, sendingaddress varchar, destinationaddress varchar, ingest_timestamp timestamp,
    ${timestamps([
      'message_timestamp',
      'send_timestamp',
      'delivery_timestamp',
      'bounce_timestamp',
      'complaint_timestamp',
      'reject_timestamp',
      'rendering_failure_timestamp',
      'delivery_delay_timestamp',
      'subscription_timestamp',
      'last_open_timestamp',
    ])},
    open_count bigint, last_click_timestamp timestamp, click_count bigint, last_clicked_link varchar,
    bouncetype varchar, bouncesubtype varchar, complaintfeedbacktype varchar, last_status varchar,
    isp varchar, sending_domain varchar, subject varchar, source_ip varchar, source_tls_version varchar,
    configuration_set varchar, campaign varchar`,
  email_conversion_rates_view: `
    message_date date, isp varchar, sending_domain varchar, campaign varchar, configuration_set varchar,
    ingest_timestamp timestamp, total_emails_sent bigint, total_deliveries bigint, total_bounces bigint,
    total_complaints bigint, total_emails_opened bigint, total_emails_clicked bigint,
    delivery_rate double, open_rate double, open_to_click_rate double, bounce_rate double,
    complaint_rate double`,
  sms_message_status: messageStatusColumns('text', textEvents, false),
  sms_conversion_rates_view: conversionRateColumns(false),
  media_message_status: messageStatusColumns('media', mediaEvents, false),
  media_conversion_rates_view: conversionRateColumns(false),
  voice_message_status: messageStatusColumns('voice', voiceEvents, true),
  voice_conversion_rates_view: conversionRateColumns(true),
  whatsapp_message_status: `
    messageid varchar, sending_address varchar, destination_address varchar, ingest_timestamp timestamp,
    ${timestamps([
      'message_timestamp',
      'accepted_timestamp',
      'sent_timestamp',
      'delivered_timestamp',
      'read_timestamp',
      'failed_timestamp',
    ])},
    biz_opaque varchar, status_code varchar, conversation_id varchar, origin_type varchar`,
  whatsapp_conversation_view: `
    conversation_id varchar, total_messages bigint, ingest_timestamp timestamp,
    first_message_timestamp timestamp, last_message_timestamp timestamp,
    conversation_duration_seconds bigint, conversation_duration_minutes double, sending_address varchar,
    destination_address varchar, origin_type varchar`,
  whatsapp_message_conversion_rates: `
    sending_address varchar, message_date date, ingest_timestamp timestamp, total_messages bigint,
    accepted_count bigint, sent_count bigint, delivered_count bigint, read_count bigint,
    failed_count bigint, accepted_to_sent_rate double, sent_to_delivered_rate double,
    delivered_to_read_rate double, sent_to_failed_rate double`,
} as const;

/** The name of an analytics view. */
export type AnalyticsViewName = keyof typeof viewColumnLists;

/** A column list's columns; a type holds no `, ` (`map(varchar,varchar)`), so a comma with space splits. */
export function parseColumnList(list: string): { name: string; type: string }[] {
  return list
    .trim()
    .split(/,\s+/)
    .map((column) => {
      const [name, type] = column.trim().split(/\s+/);
      return { name, type };
    });
}
