import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type TableName, canonicalTables } from '@engagement-db/canonical-model';
import type { SpoolRecord } from '@engagement-db/lake';
import {
  type CatalogSettings,
  describeDeliveryStream,
  listDeliveryStreams,
  tableFedBy,
} from './delivery-stream-catalog';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';
import type { SpooledStream } from './lake-delivery';
import { type Answer, type Operation, refuse, regionOf } from './firehose-protocol';
import {
  parseDescribeDeliveryStream,
  parseListDeliveryStreams,
  parsePutRecord,
  parsePutRecordBatch,
} from './firehose-requests';

/** What one operation does with a request's JSON payload. */
export type OperationHandler = (payload: unknown, request: IncomingMessage) => Promise<Answer>;

/**
 * The Firehose operations of the endpoint: records are put into the spool of the table their stream
 * feeds and answered once they are on the disk (refused per record, as Firehose throttles, when the
 * stream's buffer is full); the streams are described and listed as the catalog says.
 */
export function firehoseOperations(
  streams: ReadonlyMap<TableName, SpooledStream>,
  catalog: CatalogSettings,
): Readonly<Record<Operation, OperationHandler>> {
  const nextRecordId = recordIdSequence();
  const streamNamed = (name: string): SpooledStream | undefined => {
    const table = tableFedBy(name);
    return table === undefined ? undefined : streams.get(table.name);
  };
  return {
    PutRecord: async (payload) => {
      const parsed = parsePutRecord(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, data } = parsed.value;
      const stream = streamNamed(deliveryStreamName);
      if (!stream) return refuse(notFound(deliveryStreamName, catalog.accountId));
      await stream.buffer.whenReady();
      if (!stream.buffer.accepts(data.length)) return refuse(slowDown());
      const recordId = nextRecordId();
      const refused = await stream.append([{ recordId, data, arrivalTimestamp: Date.now() }]);
      if (refused) return refuse(refused);
      return { ok: true, value: { RecordId: recordId, Encrypted: false } };
    },
    PutRecordBatch: async (payload) => {
      const parsed = parsePutRecordBatch(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, records } = parsed.value;
      const stream = streamNamed(deliveryStreamName);
      if (!stream) return refuse(notFound(deliveryStreamName, catalog.accountId));
      await stream.buffer.whenReady();
      const arrivalTimestamp = Date.now();
      const accepted: SpoolRecord[] = [];
      let acceptedBytes = 0;
      const responses = records.map((data): PutResponseEntry => {
        if (!stream.buffer.accepts(data.length, acceptedBytes)) return failedEntry(slowDown());
        acceptedBytes += data.length;
        const record = { recordId: nextRecordId(), data, arrivalTimestamp };
        accepted.push(record);
        return { RecordId: record.recordId };
      });
      const refused = await stream.append(accepted);
      const answered = refused
        ? responses.map((entry) => ('RecordId' in entry ? failedEntry(refused) : entry))
        : responses;
      const failed = answered.filter((entry) => 'ErrorCode' in entry).length;
      return { ok: true, value: { FailedPutCount: failed, Encrypted: false, RequestResponses: answered } };
    },
    DescribeDeliveryStream: async (payload, request) => {
      const parsed = parseDescribeDeliveryStream(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const name = parsed.value.deliveryStreamName;
      const table = tableFedBy(name);
      if (!table) return refuse(notFound(name, catalog.accountId));
      return { ok: true, value: describeDeliveryStream(table, regionOf(request), catalog) };
    },
    ListDeliveryStreams: async (payload) => {
      const parsed = parseListDeliveryStreams(payload);
      if (!parsed.ok) return refuse(parsed.error);
      return { ok: true, value: listDeliveryStreams(parsed.value) };
    },
  };
}

type PutResponseEntry =
  { readonly RecordId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

function failedEntry({ kind, message }: FirehoseError): PutResponseEntry {
  return { ErrorCode: kind, ErrorMessage: message };
}

function notFound(name: string, accountId: string): FirehoseError {
  return clientError(
    FirehoseErrorType.resourceNotFound,
    `Firehose stream ${name} under account ${accountId} not found; the streams are ` +
      `${Object.values(canonicalTables)
        .map((table) => table.deliveryStreamName)
        .join(' and ')}.`,
  );
}

function slowDown(): FirehoseError {
  return { kind: FirehoseErrorType.serviceUnavailable, message: 'Slow down.', status: 503 };
}

function recordIdSequence(): () => string {
  const instance = randomBytes(12).toString('hex');
  let next = 0;
  return () => `${instance}${(next++).toString(16).padStart(12, '0')}`;
}
