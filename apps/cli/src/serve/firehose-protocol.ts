import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Result } from '@engagement-db/canonical-model';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';
import { FirehoseLimit } from './firehose-requests';

/** The target prefix of the Firehose API version this endpoint speaks. */
const targetPrefix = 'Firehose_20150804.';

/** The operations the endpoint answers, named as the `X-Amz-Target` header names them. */
export const Operation = {
  putRecord: 'PutRecord',
  putRecordBatch: 'PutRecordBatch',
  describeDeliveryStream: 'DescribeDeliveryStream',
  listDeliveryStreams: 'ListDeliveryStreams',
} as const;
export type Operation = (typeof Operation)[keyof typeof Operation];

// A request carries its records in base64 (4 bytes for 3) plus a little JSON around them.
const jsonAllowance = 64 * 1024;

/** The largest request body of each operation: a full request, and not a byte more is read. */
export const bodyLimitOf: Readonly<Record<Operation, number>> = {
  PutRecord: base64Length(FirehoseLimit.recordBytes) + jsonAllowance,
  PutRecordBatch: base64Length(FirehoseLimit.batchBytes) + jsonAllowance,
  DescribeDeliveryStream: jsonAllowance,
  ListDeliveryStreams: jsonAllowance,
};

/** What the refusal of a body larger than {@link bodyLimitOf} says, as Firehose says it. */
export const tooLargeHint: Readonly<Record<Operation, string>> = {
  PutRecord: 'Record size exceeds 1,000 KiB limit',
  PutRecordBatch: 'Records size exceeds 4 MiB limit (split the batch)',
  DescribeDeliveryStream: 'DescribeDeliveryStream request too large',
  ListDeliveryStreams: 'ListDeliveryStreams request too large',
};

/** What an operation answers: its JSON body, or the error to refuse the request with. */
export type Answer = Result<unknown, FirehoseError>;

export function refuse(error: FirehoseError): Answer & { ok: false } {
  return { ok: false, error };
}

/** Writes an answer: 200 with its body, or the error's status, `{ __type, message }` and `x-amzn-ErrorType`. */
export function answer(response: ServerResponse, result: Answer): void {
  if (result.ok) {
    send(response, 200, result.value);
    return;
  }
  const { kind, message, status } = result.error;
  send(response, status, { __type: kind, message }, { 'x-amzn-ErrorType': kind });
}

/** Writes a JSON body in AWS JSON 1.1 with a request id. */
export function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(text);
}

/** The operation a request asks for: `POST /` with `X-Amz-Target: Firehose_20150804.<Operation>`. */
export function operationOf(request: IncomingMessage): Result<Operation, FirehoseError> {
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : '';
  const known = (Object.values(Operation) as string[]).includes(name);
  if (request.method === 'POST' && (request.url === '/' || request.url?.startsWith('/?')) && known) {
    return { ok: true, value: name as Operation };
  }
  const what =
    request.method === 'POST'
      ? `X-Amz-Target ${JSON.stringify(target ?? null)}`
      : `${request.method} ${request.url}`;
  return refuse(
    clientError(
      FirehoseErrorType.unknownOperation,
      `Unknown operation ${what}; send POST / with X-Amz-Target ${targetPrefix}` +
        `{${Object.values(Operation).join(',')}}`,
    ),
  );
}

// The SDK signs each request for a region; answering with the same region keeps ARNs consistent for the client.
const credentialScope = /Credential=[^/,]+\/\d{8}\/([^/,]+)\/firehose\//;

/** The region a request was signed for; us-east-1 when unsigned. */
export function regionOf(request: IncomingMessage): string {
  return credentialScope.exec(request.headers.authorization ?? '')?.[1] ?? 'us-east-1';
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}
