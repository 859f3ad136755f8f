import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type TableName, canonicalTables } from '@engagement-db/canonical-model';
import type { DeliveryBuffer } from './delivery-buffer';
import {
  type CatalogSettings,
  describeDeliveryStream,
  listDeliveryStreams,
  tableFedBy,
} from './delivery-stream-catalog';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';
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
 * The Firehose operations of the endpoint: records are put into the delivery buffer of the table
 * their stream feeds (refused per record, as Firehose throttles, when it is full); the streams are
 * described and listed as the catalog says.
 */
export function firehoseOperations(
  buffers: ReadonlyMap<TableName, DeliveryBuffer>,
  catalog: CatalogSettings,
): Readonly<Record<Operation, OperationHandler>> {
  const nextRecordId = recordIdSequence();
  const bufferNamed = (name: string): DeliveryBuffer | undefined => {
    const table = tableFedBy(name);
    return table === undefined ? undefined : buffers.get(table.name);
  };
  return {
    PutRecord: async (payload) => {
      const parsed = parsePutRecord(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, data } = parsed.value;
      const buffer = bufferNamed(deliveryStreamName);
      if (!buffer) return refuse(notFound(deliveryStreamName, catalog.accountId));
      await buffer.whenReady();
      if (!buffer.accepts(data.length)) return refuse(slowDown());
      const recordId = nextRecordId();
      buffer.add({ recordId, data, arrivalTimestamp: Date.now() });
      return { ok: true, value: { RecordId: recordId, Encrypted: false } };
    },
    PutRecordBatch: async (payload) => {
      const parsed = parsePutRecordBatch(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, records } = parsed.value;
      const buffer = bufferNamed(deliveryStreamName);
      if (!buffer) return refuse(notFound(deliveryStreamName, catalog.accountId));
      await buffer.whenReady();
      const arrivalTimestamp = Date.now();
      let failed = 0;
      const responses = records.map((data) => {
        if (!buffer.accepts(data.length)) {
          failed += 1;
          const { kind, message } = slowDown();
          return { ErrorCode: kind, ErrorMessage: message };
        }
        const recordId = nextRecordId();
        buffer.add({ recordId, data, arrivalTimestamp });
        return { RecordId: recordId };
      });
      return { ok: true, value: { FailedPutCount: failed, Encrypted: false, RequestResponses: responses } };
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
