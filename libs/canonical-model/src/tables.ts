import { type CanonicalConversation, conversationTable } from './conversation-table';
import { type CanonicalEvent, eventTable } from './event-table';
import type { TableName } from './names';

/**
 * Both canonical tables by {@link TableName}: where code is given a table name at run time (the
 * command's `--table`, the transformer's configuration, the lake's ingest), this is how it finds the
 * table's Glue name, delivery stream, prefixes and columns.
 *
 * @example canonicalTables[TableName.conversations].deliveryStreamName // 'engagementdb-conversations'
 */
export const canonicalTables = {
  events: eventTable,
  conversations: conversationTable,
} as const satisfies Record<TableName, unknown>;

/**
 * The row type of a table: {@link CanonicalEvent} for `events`, {@link CanonicalConversation} for
 * `conversations`.
 *
 * @example const rows: CanonicalRow<'events'>[] = []; // CanonicalEvent[]
 */
export type CanonicalRow<Table extends TableName = TableName> = {
  events: CanonicalEvent;
  conversations: CanonicalConversation;
}[Table];

/**
 * Whether a value names a canonical table: how a table name given at run time is checked.
 *
 * @example if (!isTableName(name)) throw new Error(`${name} is no table; expected events or conversations`);
 */
export function isTableName(value: unknown): value is TableName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(canonicalTables, value);
}
