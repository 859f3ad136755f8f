import type { FirehoseTransformationEventRecord } from 'aws-lambda';
import {
  type Failure,
  type PartitionHour,
  type TableName,
  partitionHourOf,
} from '@engagement-db/canonical-model';
import type { MappedLine, Mapper, MappingFailure } from '@engagement-db/mapper';

/** The error kind of a record the mapper threw on, which it promises never to do. */
export const unexpectedErrorKind = 'unexpected-error';

/** What became of one Firehose record. */
export type RecordOutcome =
  | {
      readonly result: 'Ok';
      readonly channel: string;
      /** The rows as newline-delimited JSON, base64: the output record's data. */
      readonly data: string;
      readonly rows: number;
      readonly partition: PartitionHour;
    }
  | { readonly result: 'Dropped' }
  | {
      readonly result: 'ProcessingFailed';
      readonly error: MappingFailure | Failure<typeof unexpectedErrorKind>;
    };

const newline = 0x0a;

/**
 * Maps the records of a batch one at a time, each decoded into and encoded out of buffers kept from
 * record to record: a record's text, rows and lines are gone once its output data is made, so a
 * batch is held as its input and its output, nothing more.
 */
export class RecordMapper {
  private input = Buffer.allocUnsafe(256 << 10);
  private output = Buffer.allocUnsafe(1 << 20);
  // Consecutive records mostly fall in the same hour.
  private hour: { start: number; partition: PartitionHour } = { start: NaN, partition: partitionHourOf(0) };

  constructor(
    private readonly mapper: Mapper,
    private readonly table: TableName,
  ) {}

  /** Maps one record's data for the table to rows as newline-delimited JSON, base64; never throws. */
  outcomeOf(record: FirehoseTransformationEventRecord): RecordOutcome {
    try {
      const mapped = this.mapper.mapLines(this.table, this.textOf(record.data));
      if (!mapped.ok) return { result: 'ProcessingFailed', error: mapped.error };
      const lines = mapped.value;
      if (lines.length === 0) return { result: 'Dropped' };
      // Firehose allows one partition per record, so a WhatsApp fan-out whose rows fall into different
      // hours is filed under its first row's hour; each row keeps its own timestamp.
      return {
        result: 'Ok',
        channel: lines[0].channel,
        data: this.base64Of(lines),
        rows: lines.length,
        partition: this.partitionOf(lines[0].timestamp),
      };
    } catch (error) {
      return {
        result: 'ProcessingFailed',
        error: { kind: unexpectedErrorKind, message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  private partitionOf(timestamp: number): PartitionHour {
    const start = timestamp - (timestamp % 3_600_000);
    if (start !== this.hour.start) this.hour = { start, partition: partitionHourOf(timestamp) };
    return this.hour.partition;
  }

  private textOf(data: unknown): string {
    if (typeof data !== 'string') return '';
    // Decoded base64 is never longer than three quarters of its text.
    if (this.input.length < data.length) this.input = Buffer.allocUnsafe(data.length);
    const length = this.input.write(data, 'base64');
    return this.input.toString('utf8', 0, length);
  }

  private base64Of(lines: readonly MappedLine[]): string {
    let used = 0;
    for (const line of lines) {
      // A UTF-16 unit never takes more than 3 UTF-8 bytes: the line and its newline fit.
      const needed = used + 3 * line.text.length + 1;
      if (needed > this.output.length) {
        const larger = Buffer.allocUnsafe(Math.max(2 * this.output.length, needed));
        this.output.copy(larger, 0, 0, used);
        this.output = larger;
      }
      used += this.output.write(line.text, used, 'utf8');
      this.output[used++] = newline;
    }
    return this.output.toString('base64', 0, used);
  }
}
