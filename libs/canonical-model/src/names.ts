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

/**
 * The two canonical tables, by the name every project uses for them: the `--table` of the command,
 * the lake's and the bucket's top folder, the mapping a record gets. Each one's Glue table,
 * delivery stream and prefixes are in {@link canonicalTables}.
 */
export const TableName = {
  events: 'events',
  conversations: 'conversations',
} as const;
export type TableName = (typeof TableName)[keyof typeof TableName];
