import type { MappingFailure } from '@engagement-db/mapper';
import type { RawRecord } from './raw-record';

/**
 * A record that could not be mapped, in the shape Firehose writes processing failures to S3
 * (`processing-failed/`), plus which field failed and where the record came from. Stored as JSON
 * Lines under `LAKE/errors/<table>/YYYY/MM/DD/HH/` by hour of arrival, so it can be read back and replayed.
 *
 * @example Buffer.from(failure.rawData, 'base64') // the record's bytes as they arrived
 */
export interface FailureRecord {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  /** The mapping failure kind, such as `unparseable-json` or `unknown-source`. */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** The JSON path of the field that failed (`$.timestamp`, `$.Message`), when one is to blame. */
  readonly errorPath?: string;
  readonly attemptEndingTimestamp: number;
  /** The record's bytes exactly as they arrived, base64-encoded as Firehose stores them. */
  readonly rawData: string;
  /** Present on AWS only: the transformer that failed the record. */
  readonly lambdaArn?: string;
  readonly origin: string;
  readonly line: number;
}

/**
 * The failure record of a raw record the mapper refused.
 *
 * @example failureRecordOf(record, result.error, Date.now(), Date.now()).errorCode // 'unparseable-json'
 */
export function failureRecordOf(
  record: RawRecord,
  error: MappingFailure,
  arrivalTimestamp: number,
  attemptEndingTimestamp: number,
): FailureRecord {
  const where = error.template ? ` (template ${error.template})` : '';
  return {
    attemptsMade: 1,
    arrivalTimestamp,
    errorCode: error.kind,
    errorMessage: `${error.message}${where}`,
    ...(error.path === undefined ? {} : { errorPath: error.path }),
    attemptEndingTimestamp,
    rawData: (record.bytes
      ? Buffer.from(record.bytes.buffer, record.bytes.byteOffset, record.bytes.byteLength)
      : Buffer.from(record.text, 'utf8')
    ).toString('base64'),
    origin: record.origin,
    line: record.line,
  };
}
