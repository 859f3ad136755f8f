import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import { type PartitionHour, partitionHourOf } from '@engagement-db/canonical-model';
import type { Mapper } from '@engagement-db/mapper';
import type { RecordStream } from '../record-stream';

/** The error kind of a record the mapper threw on, which it promises never to do. */
export const unexpectedErrorKind = 'unexpected-error';

/** What became of one Firehose record. */
export type RecordOutcome =
  | {
      readonly result: 'Ok';
      readonly channel: string;
      readonly lines: string;
      readonly rows: number;
      readonly partition: PartitionHour;
    }
  | { readonly result: 'Dropped' }
  | {
      readonly result: 'ProcessingFailed';
      readonly errorKind: string;
      readonly reason: string;
      readonly template?: string;
    };

/** Maps one record's data to canonical rows as newline-delimited JSON; never throws. */
export function outcomeOf(
  record: FirehoseTransformationEventRecord,
  mapper: Mapper,
  stream: RecordStream,
): RecordOutcome {
  try {
    const text = typeof record.data === 'string' ? Buffer.from(record.data, 'base64').toString('utf8') : '';
    if (stream === 'conversations') {
      const mapped = mapper.mapConversation(text);
      if (!mapped.ok) return failed(mapped.failure);
      const { conversation } = mapped;
      return {
        result: 'Ok',
        channel: conversation.channel,
        lines: JSON.stringify(conversation) + '\n',
        rows: 1,
        partition: partitionHourOf(conversation.timestamp),
      };
    }
    const mapped = mapper.mapEvent(text);
    if (!mapped.ok) return failed(mapped.failure);
    const { events } = mapped;
    if (events.length === 0) return { result: 'Dropped' };
    let lines = '';
    for (const row of events) lines += JSON.stringify(row) + '\n';
    // Firehose allows one partition per record, so a WhatsApp fan-out whose rows fall into different
    // hours is filed under its first row's hour; each row keeps its own timestamp.
    return {
      result: 'Ok',
      channel: events[0].channel,
      lines,
      rows: events.length,
      partition: partitionHourOf(events[0].timestamp),
    };
  } catch (error) {
    return {
      result: 'ProcessingFailed',
      errorKind: unexpectedErrorKind,
      reason: error instanceof Error ? error.message : String(error),
    };
  }
}

function failed(failure: {
  readonly kind: string;
  readonly message: string;
  readonly template?: string;
}): RecordOutcome {
  return failure.template === undefined
    ? { result: 'ProcessingFailed', errorKind: failure.kind, reason: failure.message }
    : {
        result: 'ProcessingFailed',
        errorKind: failure.kind,
        reason: failure.message,
        template: failure.template,
      };
}
