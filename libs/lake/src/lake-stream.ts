import { type TableSchema, conversationTable, eventTable } from '@engagement-db/canonical-model';

/**
 * The two inputs of the lake, named like the delivery streams they stand for.
 *
 * @example await ingest({ ..., stream: LakeStream.conversations })
 */
export const LakeStream = {
  events: 'events',
  conversations: 'conversations',
} as const;
export type LakeStream = (typeof LakeStream)[keyof typeof LakeStream];

const tables: Record<LakeStream, TableSchema> = {
  events: eventTable,
  conversations: conversationTable,
};

/**
 * The canonical table a stream's rows are stored in.
 *
 * @example tableOfStream('events').prefix // 'events'
 */
export function tableOfStream(stream: LakeStream): TableSchema {
  return tables[stream];
}

/** Whether a value names one of the lake's streams. */
export function isLakeStream(value: unknown): value is LakeStream {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(tables, value);
}
