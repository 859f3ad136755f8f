import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import {
  type Failure,
  type PartitionHour,
  type TableName,
  partitionHourOf,
} from '@engagement-db/canonical-model';
import type { Mapper, MappingFailure } from '@engagement-db/mapper';

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
      readonly error: MappingFailure | Failure<typeof unexpectedErrorKind>;
    };

/** Maps one record's data for a table to canonical rows as newline-delimited JSON; never throws. */
export function outcomeOf(
  record: FirehoseTransformationEventRecord,
  mapper: Mapper,
  table: TableName,
): RecordOutcome {
  try {
    const text = typeof record.data === 'string' ? Buffer.from(record.data, 'base64').toString('utf8') : '';
    const mapped = mapper.map(table, text);
    if (!mapped.ok) return { result: 'ProcessingFailed', error: mapped.error };
    const rows = mapped.value;
    if (rows.length === 0) return { result: 'Dropped' };
    let lines = '';
    for (const row of rows) lines += JSON.stringify(row) + '\n';
    // Firehose allows one partition per record, so a WhatsApp fan-out whose rows fall into different
    // hours is filed under its first row's hour; each row keeps its own timestamp.
    return {
      result: 'Ok',
      channel: rows[0].channel,
      lines,
      rows: rows.length,
      partition: partitionHourOf(rows[0].timestamp),
    };
  } catch (error) {
    return {
      result: 'ProcessingFailed',
      error: { kind: unexpectedErrorKind, message: error instanceof Error ? error.message : String(error) },
    };
  }
}
