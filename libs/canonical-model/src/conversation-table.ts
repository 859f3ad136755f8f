import { type ColumnDefinition, type RowOf, type TableSchema } from './columns';
import { Channel, Direction, TableName } from './names';

/** Every column of a chatbot conversation record, in Glue column order. */
export const conversationColumns = [
  { name: 'accountId', kind: 'string', required: false, description: 'The AWS account id.' },
  {
    name: 'organizationId',
    kind: 'string',
    required: false,
    description: 'A customer-provided identifier for tracking several organisations in one account.',
  },
  {
    name: 'messageId',
    kind: 'string',
    required: false,
    description: 'The message id given by End User Messaging.',
  },
  { name: 'sendingAddress', kind: 'string', required: false, description: 'The from address.' },
  { name: 'destinationAddress', kind: 'string', required: false, description: 'The destination address.' },
  {
    name: 'channel',
    kind: 'string',
    required: true,
    description: 'The channel of the message: text, voice, media, email or whatsapp.',
    values: Object.values(Channel),
  },
  {
    name: 'direction',
    kind: 'string',
    required: true,
    description: 'inbound or outbound.',
    values: Object.values(Direction),
  },
  {
    name: 'knowledgeBaseId',
    kind: 'string',
    required: false,
    description: 'The Bedrock knowledge base used in the conversation.',
  },
  {
    name: 'sessionId',
    kind: 'string',
    required: false,
    description: 'An id shared by all messages of a conversation.',
  },
  {
    name: 'source',
    kind: 'string',
    required: false,
    description: 'Whether the answer came from the knowledge base or the general model.',
  },
  {
    name: 'message',
    kind: 'string',
    required: false,
    description: 'The text sent by the end user or the answer.',
  },
  {
    name: 'timestamp',
    kind: 'bigint',
    required: true,
    description: 'When the message was sent, in epoch milliseconds.',
  },
  {
    name: 'tags',
    kind: 'map<string,string>',
    required: false,
    description: 'Customer-provided name/value pairs for filtering conversations.',
  },
] as const satisfies readonly ColumnDefinition[];

/** One chatbot conversation record: a row of `engagementdb-conversations-table`. */
export type CanonicalConversation = RowOf<typeof conversationColumns>;

/** The conversations table: `"engagementdb-glue-db"."engagementdb-conversations-table"`. */
export const conversationTable: TableSchema<typeof conversationColumns> = {
  name: TableName.conversations,
  glueName: 'engagementdb-conversations-table',
  deliveryStreamName: 'engagementdb-conversations',
  prefix: 'conversations',
  errorPrefix: 'errors/conversations',
  columns: conversationColumns,
  partitionColumn: 'ingest_timestamp',
};
