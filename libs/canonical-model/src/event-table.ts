import { type ColumnDefinition, type RowOf, type TableSchema } from './columns';
import { Channel, TableName } from './names';

/** Every column of the canonical engagement event, in Glue column order. */
export const eventColumns = [
  {
    name: 'accountId',
    kind: 'string',
    required: false,
    description: 'The AWS account id that sent the message.',
  },
  {
    name: 'organizationId',
    kind: 'string',
    required: false,
    description: 'A customer-provided identifier for tracking several organisations in one account.',
  },
  {
    name: 'sendingId',
    kind: 'string',
    required: false,
    description:
      'The origination identifier: phone number id for WhatsApp, number for SMS, source ARN for email.',
  },
  { name: 'sendingAddress', kind: 'string', required: false, description: 'The from address or number.' },
  {
    name: 'destinationAddress',
    kind: 'array<string>',
    required: false,
    description: 'The recipients: email addresses, or one phone number as + and digits.',
  },
  {
    name: 'channel',
    kind: 'string',
    required: true,
    description: 'The channel: email, text, media, voice or whatsapp.',
    values: Object.values(Channel),
  },
  {
    name: 'type',
    kind: 'string',
    required: false,
    description:
      'The event type: the SES event type, the SMS message type, or message / messageStatus for WhatsApp.',
  },
  {
    name: 'status',
    kind: 'string',
    required: false,
    description:
      'The status: the SES event type, the SMS/MMS/Voice event type, or the WhatsApp status or message type.',
  },
  { name: 'statusCode', kind: 'string', required: false, description: 'A code qualifying the status.' },
  { name: 'statusMessage', kind: 'string', required: false, description: 'A text qualifying the status.' },
  {
    name: 'rawStatus',
    kind: 'string',
    required: false,
    description: 'The JSON text of the source object that carries the status.',
  },
  {
    name: 'isoCountryCode',
    kind: 'string',
    required: false,
    description: 'The destination country (ISO 3166-1 alpha-2) for SMS, MMS and Voice.',
  },
  {
    name: 'timestamp',
    kind: 'bigint',
    required: true,
    description: 'When the event happened, in epoch milliseconds.',
  },
  {
    name: 'messageId',
    kind: 'string',
    required: false,
    description: 'The message id given by the sending service.',
  },
  {
    name: 'tags',
    kind: 'map<string,string>',
    required: false,
    description: 'Customer-provided tags (SES tags, End User Messaging context), keys lower-cased.',
  },
  {
    name: 'channelData',
    kind: 'map<string,string>',
    required: false,
    description: 'Channel-specific values such as subject, price or conversation id, keys lower-cased.',
  },
  {
    name: 'rawEvent',
    kind: 'string',
    required: true,
    description:
      'The event as received, after SNS or EventBridge unwrapping, as JSON text; for a row of a WhatsApp entry ' +
      "with several messages or statuses, the event with the entry narrowed to the row's own message or status.",
  },
  {
    name: 'eventId',
    kind: 'string',
    required: true,
    description:
      'A deterministic hash of the raw event and the row position, to remove redelivered duplicates.',
  },
] as const satisfies readonly ColumnDefinition[];

/** One canonical engagement event: a row of `engagementdb-events-table`. */
export type CanonicalEvent = RowOf<typeof eventColumns>;

/** The events table: `"engagementdb-glue-db"."engagementdb-events-table"`. */
export const eventTable: TableSchema<typeof eventColumns> = {
  name: TableName.events,
  glueName: 'engagementdb-events-table',
  deliveryStreamName: 'engagementdb-events',
  prefix: 'events',
  errorPrefix: 'errors/events',
  columns: eventColumns,
  partitionColumn: 'ingest_timestamp',
};
