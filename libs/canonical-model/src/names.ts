/** The channels an engagement event or conversation can belong to. */
export const Channel = {
  email: 'email',
  text: 'text',
  media: 'media',
  voice: 'voice',
  whatsapp: 'whatsapp',
} as const;
export type Channel = (typeof Channel)[keyof typeof Channel];

/** The direction of a conversation message. */
export const Direction = {
  inbound: 'inbound',
  outbound: 'outbound',
} as const;
export type Direction = (typeof Direction)[keyof typeof Direction];

/** The Glue database that holds both tables, on AWS and in the local lake. */
export const glueDatabaseName = 'engagementdb-glue-db';

/** The Firehose delivery streams, on AWS and on the local `serve` endpoint. */
export const DeliveryStream = {
  events: 'engagementdb-events',
  conversations: 'engagementdb-conversations',
} as const;
export type DeliveryStream = (typeof DeliveryStream)[keyof typeof DeliveryStream];
