import type { Result } from '@engagement-db/canonical-model';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';

/** Firehose's fixed limits for Direct PUT, which this endpoint enforces the same way. */
export const FirehoseLimit = {
  /** Records in one PutRecordBatch. */
  recordsPerBatch: 500,
  /** Bytes of one record's data, before base64 (1,000 KiB). */
  recordBytes: 1_024_000,
  /** Bytes of all records' data in one PutRecordBatch, before base64 (4 MiB). */
  batchBytes: 4 * 1024 * 1024,
} as const;

/** A PutRecord request, its record decoded. */
export interface PutRecordInput {
  readonly deliveryStreamName: string;
  readonly data: Buffer;
}

/** A PutRecordBatch request, its records decoded, in request order. */
export interface PutRecordBatchInput {
  readonly deliveryStreamName: string;
  readonly records: readonly Buffer[];
}

/** A DescribeDeliveryStream request. */
export interface DescribeDeliveryStreamInput {
  readonly deliveryStreamName: string;
}

/** A ListDeliveryStreams request. */
export interface ListDeliveryStreamsInput {
  readonly limit: number;
  readonly deliveryStreamType?: string;
  readonly exclusiveStartDeliveryStreamName?: string;
}

/** A request's input, or the error to refuse it with. */
export type ParsedRequest<T> = Result<T, FirehoseError>;

/**
 * Reads a PutRecord payload: `{ DeliveryStreamName, Record: { Data: base64 } }`.
 *
 * @example parsePutRecord({ DeliveryStreamName: 'engagementdb-events', Record: { Data: 'e30=' } })
 */
export function parsePutRecord(payload: unknown): ParsedRequest<PutRecordInput> {
  const body = asStructure(payload, 'the request body');
  if (!body.ok) return body;
  const name = requiredString(body.value, 'DeliveryStreamName', 'deliveryStreamName');
  if (!name.ok) return name;
  const record = body.value['Record'];
  if (record === undefined || record === null) return notNull('record');
  const data = decodeRecordData(record, 'Record', 'record.data');
  if (!data.ok) return data;
  if (data.value.length > FirehoseLimit.recordBytes) {
    return validationErrors([tooLongRecord('record.data', data.value.length)]);
  }
  return { ok: true, value: { deliveryStreamName: name.value, data: data.value } };
}

/**
 * Reads a PutRecordBatch payload: `{ DeliveryStreamName, Records: [{ Data: base64 }, ...] }`, enforcing
 * Firehose's limits of 500 records, 1,000 KiB a record and 4 MiB a request.
 *
 * @example parsePutRecordBatch({ DeliveryStreamName: 'engagementdb-events', Records: [{ Data: 'e30=' }] })
 */
export function parsePutRecordBatch(payload: unknown): ParsedRequest<PutRecordBatchInput> {
  const body = asStructure(payload, 'the request body');
  if (!body.ok) return body;
  const name = requiredString(body.value, 'DeliveryStreamName', 'deliveryStreamName');
  if (!name.ok) return name;
  const listed = body.value['Records'];
  if (listed === undefined || listed === null) return notNull('records');
  if (!Array.isArray(listed))
    return serializationError(`Records must be a list of records, got ${describe(listed)}`);
  if (listed.length < 1 || listed.length > FirehoseLimit.recordsPerBatch) {
    const bound =
      listed.length < 1
        ? 'greater than or equal to 1'
        : `less than or equal to ${FirehoseLimit.recordsPerBatch}`;
    return validationErrors([
      `Value of ${listed.length} records at 'records' failed to satisfy constraint: Member must have length ${bound}`,
    ]);
  }
  const records: Buffer[] = [];
  const violations: string[] = [];
  let totalBytes = 0;
  for (const [index, record] of listed.entries()) {
    const data = decodeRecordData(record, `Records[${index}]`, `records.${index + 1}.member.data`);
    if (!data.ok) return data;
    if (data.value.length > FirehoseLimit.recordBytes) {
      // Firehose numbers the members of a list from 1 in its validation messages.
      violations.push(tooLongRecord(`records.${index + 1}.member.data`, data.value.length));
    }
    totalBytes += data.value.length;
    records.push(data.value);
  }
  if (violations.length > 0) return validationErrors(violations);
  if (totalBytes > FirehoseLimit.batchBytes) {
    return {
      ok: false,
      error: clientError(
        FirehoseErrorType.invalidArgument,
        `Records size exceeds 4 MiB limit: the ${records.length} records hold ${totalBytes} bytes, at most ` +
          `${FirehoseLimit.batchBytes} are allowed per PutRecordBatch; split the batch.`,
      ),
    };
  }
  return { ok: true, value: { deliveryStreamName: name.value, records } };
}

/**
 * Reads a DescribeDeliveryStream payload: `{ DeliveryStreamName }`.
 *
 * @example parseDescribeDeliveryStream({ DeliveryStreamName: 'engagementdb-conversations' })
 */
export function parseDescribeDeliveryStream(payload: unknown): ParsedRequest<DescribeDeliveryStreamInput> {
  const body = asStructure(payload, 'the request body');
  if (!body.ok) return body;
  const name = requiredString(body.value, 'DeliveryStreamName', 'deliveryStreamName');
  if (!name.ok) return name;
  return { ok: true, value: { deliveryStreamName: name.value } };
}

/**
 * Reads a ListDeliveryStreams payload: `{ Limit?, DeliveryStreamType?, ExclusiveStartDeliveryStreamName? }`.
 *
 * @example parseListDeliveryStreams({ Limit: 1 }) // { ok: true, value: { limit: 1 } }
 */
export function parseListDeliveryStreams(payload: unknown): ParsedRequest<ListDeliveryStreamsInput> {
  const body = asStructure(payload ?? {}, 'the request body');
  if (!body.ok) return body;
  const { Limit: limit = 10, DeliveryStreamType: type, ExclusiveStartDeliveryStreamName: start } = body.value;
  if (typeof limit !== 'number') return serializationError(`Limit must be a number, got ${describe(limit)}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    return validationErrors([
      `Value '${limit}' at 'limit' failed to satisfy constraint: Member must be a whole number from 1 to 10000`,
    ]);
  }
  for (const [member, value] of [
    ['DeliveryStreamType', type],
    ['ExclusiveStartDeliveryStreamName', start],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') {
      return serializationError(`${member} must be a string, got ${describe(value)}`);
    }
  }
  return {
    ok: true,
    value: {
      limit,
      ...(type === undefined ? {} : { deliveryStreamType: type as string }),
      ...(start === undefined ? {} : { exclusiveStartDeliveryStreamName: start as string }),
    },
  };
}

type Structure = Record<string, unknown>;

function asStructure(value: unknown, what: string): ParsedRequest<Structure> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { ok: true, value: value as Structure };
  }
  return serializationError(`${what} must be a JSON object, got ${describe(value)}`);
}

function requiredString(body: Structure, member: string, path: string): ParsedRequest<string> {
  const value = body[member];
  if (value === undefined || value === null) return notNull(path);
  if (typeof value !== 'string')
    return serializationError(`${member} must be a string, got ${describe(value)}`);
  return { ok: true, value };
}

const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeRecordData(record: unknown, where: string, memberPath: string): ParsedRequest<Buffer> {
  const structure = asStructure(record, where);
  if (!structure.ok) return structure;
  const data = structure.value['Data'];
  if (data === undefined || data === null) return notNull(memberPath);
  if (typeof data !== 'string')
    return serializationError(`${where}.Data must be base64 text, got ${describe(data)}`);
  if (data.length % 4 !== 0 || !base64Text.test(data)) {
    return serializationError(
      `${where}.Data is not valid base64 (${data.length} characters); encode the bytes as base64`,
    );
  }
  return { ok: true, value: Buffer.from(data, 'base64') };
}

function tooLongRecord(path: string, bytes: number): string {
  return (
    `Value of ${bytes} bytes at '${path}' failed to satisfy constraint: ` +
    `Member must have length less than or equal to ${FirehoseLimit.recordBytes}`
  );
}

function notNull(path: string): { ok: false; error: FirehoseError } {
  return validationErrors([`Value null at '${path}' failed to satisfy constraint: Member must not be null`]);
}

function validationErrors(violations: readonly string[]): { ok: false; error: FirehoseError } {
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  return {
    ok: false,
    error: clientError(FirehoseErrorType.validation, `${count} detected: ${violations.join('; ')}`),
  };
}

function serializationError(message: string): { ok: false; error: FirehoseError } {
  return { ok: false, error: clientError(FirehoseErrorType.serialization, message) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
