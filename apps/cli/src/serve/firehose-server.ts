import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryStream } from '@engagement-db/canonical-model';
import { ingest, type RawRecord } from '@engagement-db/lake';
import type { Mapper } from '@engagement-db/mapper';
import { DeliveryBuffer, type BufferedRecord } from './delivery-buffer';
import { describeDeliveryStream, isDeliveryStream, listDeliveryStreams } from './delivery-stream-catalog';
import { ServeConfigurationError, ServeListenError } from './errors';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';
import {
  FirehoseLimit,
  parseDescribeDeliveryStream,
  parseListDeliveryStreams,
  parsePutRecord,
  parsePutRecordBatch,
} from './firehose-requests';
import { linesOfRecord } from './record-lines';
import { readRequestBody } from './request-body';

/** Options of {@link startFirehoseServer}. */
export interface FirehoseServerOptions {
  /** The lake folder the records land in. */
  readonly lake: string;
  /** Maps the records of `engagementdb-events` and validates those of `engagementdb-conversations`. */
  readonly mapper: Mapper;
  /** The address to listen on; default 127.0.0.1, so only this machine can send. */
  readonly host?: string;
  /** The port to listen on; default 4573, 0 for any free port. */
  readonly port?: number;
  /** Deliver a stream's buffer once this many bytes of record data wait; default 5 MiB. */
  readonly bufferBytes?: number;
  /** Deliver a stream's buffer once its oldest record waited this long; default 60 s. */
  readonly bufferIntervalMs?: number;
  /** Refuse records with ServiceUnavailableException beyond this many waiting bytes; default 4 × bufferBytes + 4 MiB. */
  readonly maxBufferedBytes?: number;
  /** The account id in the streams' ARNs; default 000000000000. */
  readonly accountId?: string;
  /** Where the endpoint reports deliveries, one line each; default nowhere. */
  readonly log?: (line: string) => void;
}

/** A running endpoint. */
export interface FirehoseServer {
  /** The endpoint to give an AWS SDK Firehose client, e.g. `http://127.0.0.1:4573`. */
  readonly url: string;
  /** Delivers every buffered record of both streams now. */
  flush(): Promise<void>;
  /** Stops taking requests, finishes the ones in progress and delivers every buffered record. */
  close(): Promise<void>;
}

/** The target prefix of the Firehose API version this endpoint speaks. */
const targetPrefix = 'Firehose_20150804.';

const Operation = {
  putRecord: 'PutRecord',
  putRecordBatch: 'PutRecordBatch',
  describeDeliveryStream: 'DescribeDeliveryStream',
  listDeliveryStreams: 'ListDeliveryStreams',
} as const;
type Operation = (typeof Operation)[keyof typeof Operation];

// A request carries its records in base64 (4 bytes for 3) plus a little JSON around them.
const jsonAllowance = 64 * 1024;
const bodyLimitOf: Readonly<Record<Operation, number>> = {
  PutRecord: base64Length(FirehoseLimit.recordBytes) + jsonAllowance,
  PutRecordBatch: base64Length(FirehoseLimit.batchBytes) + jsonAllowance,
  DescribeDeliveryStream: jsonAllowance,
  ListDeliveryStreams: jsonAllowance,
};

const tooLargeHint: Readonly<Record<Operation, string>> = {
  PutRecord: 'Record size exceeds 1,000 KiB limit',
  PutRecordBatch: 'Records size exceeds 4 MiB limit (split the batch)',
  DescribeDeliveryStream: 'DescribeDeliveryStream request too large',
  ListDeliveryStreams: 'ListDeliveryStreams request too large',
};

const defaults = {
  host: '127.0.0.1',
  port: 4573,
  bufferBytes: 5 * 2 ** 20,
  bufferIntervalMs: 60_000,
  accountId: '000000000000',
} as const;

// How long `close` lets requests in progress finish before cutting their connections.
const closeGraceMs = 5_000;

/**
 * Starts a local endpoint speaking the Amazon Data Firehose API (AWS JSON 1.1) for the streams
 * `engagementdb-events` and `engagementdb-conversations`. Records are buffered per stream like Firehose buffers
 * them and written to the lake with `ingest()`; a record the mapper cannot read is accepted, as on AWS, and
 * lands in the lake's errors/ folder.
 *
 * @throws ServeConfigurationError when a buffer option is out of range.
 * @throws ServeListenError when the host and port cannot be listened on.
 * @example
 * ```ts
 * const server = await startFirehoseServer({ lake: './engagement-lake', mapper: createMapper(), port: 0 });
 * const firehose = new FirehoseClient({ endpoint: server.url, region: 'us-east-1' });
 * await firehose.send(new PutRecordCommand({ DeliveryStreamName: 'engagementdb-events', Record: { Data } }));
 * await server.close();
 * ```
 */
export async function startFirehoseServer(options: FirehoseServerOptions): Promise<FirehoseServer> {
  const settings = settingsOf(options);
  const log = options.log ?? (() => undefined);
  const createdAt = new Date();
  const nextRecordId = recordIdSequence();
  // One ingest at a time: both streams write to the same lake.
  let lakeQueue: Promise<unknown> = Promise.resolve();

  const buffers = new Map<DeliveryStream, DeliveryBuffer>(
    Object.values(DeliveryStream).map((stream) => {
      // Lines are numbered per stream across deliveries, so a line number names one line of the stream.
      const lineCounter = { last: 0 };
      const buffer = new DeliveryBuffer({
        bufferBytes: settings.bufferBytes,
        bufferIntervalMs: settings.bufferIntervalMs,
        maxBufferedBytes: settings.maxBufferedBytes,
        deliver: (records) => {
          const delivery = lakeQueue.then(() => deliverToLake(stream, records, lineCounter, options, log));
          lakeQueue = delivery.catch(() => undefined);
          return delivery;
        },
        onDeliveryFailed: (error, records) =>
          log(
            `${stream}: delivery of ${records.length} records failed, kept for the next try in ` +
              `${settings.bufferIntervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      return [stream, buffer];
    }),
  );

  const operations: Readonly<
    Record<Operation, (payload: unknown, request: IncomingMessage) => Promise<Answer>>
  > = {
    PutRecord: async (payload) => {
      const parsed = parsePutRecord(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, data } = parsed.value;
      const buffer = bufferNamed(deliveryStreamName);
      if (!buffer) return refuse(notFound(deliveryStreamName, settings.accountId));
      await buffer.whenReady();
      if (!buffer.accepts(data.length)) return refuse(slowDown());
      const recordId = nextRecordId();
      buffer.add({ recordId, data, arrivalTimestamp: Date.now() });
      return { ok: true, body: { RecordId: recordId, Encrypted: false } };
    },
    PutRecordBatch: async (payload) => {
      const parsed = parsePutRecordBatch(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, records } = parsed.value;
      const buffer = bufferNamed(deliveryStreamName);
      if (!buffer) return refuse(notFound(deliveryStreamName, settings.accountId));
      await buffer.whenReady();
      const arrivalTimestamp = Date.now();
      let failed = 0;
      const responses = records.map((data) => {
        if (!buffer.accepts(data.length)) {
          failed += 1;
          const { type, message } = slowDown();
          return { ErrorCode: type, ErrorMessage: message };
        }
        const recordId = nextRecordId();
        buffer.add({ recordId, data, arrivalTimestamp });
        return { RecordId: recordId };
      });
      return { ok: true, body: { FailedPutCount: failed, Encrypted: false, RequestResponses: responses } };
    },
    DescribeDeliveryStream: async (payload, request) => {
      const parsed = parseDescribeDeliveryStream(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const name = parsed.value.deliveryStreamName;
      if (!isDeliveryStream(name)) return refuse(notFound(name, settings.accountId));
      return { ok: true, body: describeDeliveryStream(name, regionOf(request), { ...settings, createdAt }) };
    },
    ListDeliveryStreams: async (payload) => {
      const parsed = parseListDeliveryStreams(payload);
      if (!parsed.ok) return refuse(parsed.error);
      return { ok: true, body: listDeliveryStreams(parsed.value) };
    },
  };

  function bufferNamed(name: string): DeliveryBuffer | undefined {
    return isDeliveryStream(name) ? buffers.get(name) : undefined;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        const message = 'The endpoint failed to answer; see its log.';
        send(response, 500, { __type: FirehoseErrorType.internalFailure, message });
      } else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const operation = operationOf(request);
    if (!operation.ok) {
      answer(response, refuse(operation.error));
      return;
    }
    const read = await readRequestBody(request, bodyLimitOf[operation.value]);
    if (!read.ok) {
      if (read.refusal === 'aborted') {
        request.destroy();
        return;
      }
      // The rest of the body is not read: answer, then close the connection it is still arriving on.
      response.once('finish', () => request.socket.destroySoon());
      const message = `${tooLargeHint[operation.value]}: ${read.message}`;
      answer(response, refuse({ type: FirehoseErrorType.invalidArgument, message, status: 413 }), true);
      return;
    }
    let payload: unknown;
    try {
      payload = read.body.length === 0 ? {} : JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      answer(
        response,
        refuse(clientError(FirehoseErrorType.serialization, `The request body is not JSON: ${why}`)),
      );
      return;
    }
    answer(response, await operations[operation.value](payload, request));
  }

  await listen(server, settings.host, settings.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  const flush = async (): Promise<void> => {
    await Promise.all([...buffers.values()].map((buffer) => buffer.flush()));
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), closeGraceMs);
      await stopped;
      clearTimeout(cut);
      await flush();
      const left = [...buffers.values()].reduce((sum, buffer) => sum + buffer.bufferedRecords, 0);
      for (const buffer of buffers.values()) buffer.stop();
      if (left > 0) log(`stopped with ${left} records that could not be delivered to ${options.lake}`);
    })();
    return closing;
  };

  return { url, flush, close };
}

type Answer =
  { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: FirehoseError };

function refuse(error: FirehoseError): Answer & { ok: false } {
  return { ok: false, error };
}

function answer(response: ServerResponse, result: Answer, closeConnection = false): void {
  if (result.ok) {
    send(response, 200, result.body);
    return;
  }
  const { type, message, status } = result.error;
  send(
    response,
    status,
    { __type: type, message },
    { 'x-amzn-ErrorType': type, ...(closeConnection ? { connection: 'close' } : {}) },
  );
}

function send(
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

function operationOf(
  request: IncomingMessage,
): { ok: true; value: Operation } | { ok: false; error: FirehoseError } {
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

function notFound(name: string, accountId: string): FirehoseError {
  return clientError(
    FirehoseErrorType.resourceNotFound,
    `Firehose stream ${name} under account ${accountId} not found; the streams are ` +
      `${Object.values(DeliveryStream).join(' and ')}.`,
  );
}

function slowDown(): FirehoseError {
  return { type: FirehoseErrorType.serviceUnavailable, message: 'Slow down.', status: 503 };
}

// The SDK signs each request for a region; answering with the same region keeps ARNs consistent for the client.
const credentialScope = /Credential=[^/,]+\/\d{8}\/([^/,]+)\/firehose\//;

function regionOf(request: IncomingMessage): string {
  return credentialScope.exec(request.headers.authorization ?? '')?.[1] ?? 'us-east-1';
}

async function deliverToLake(
  stream: DeliveryStream,
  records: readonly BufferedRecord[],
  lineCounter: { last: number },
  options: FirehoseServerOptions,
  log: (line: string) => void,
): Promise<void> {
  const recordIdOfLine = new Map<number, string>();
  let firstFailure: string | undefined;
  const started = Date.now();
  const report = await ingest({
    lake: options.lake,
    stream: stream === DeliveryStream.events ? 'events' : 'conversations',
    records: linesOf(stream, records, lineCounter, recordIdOfLine),
    mapper: options.mapper,
    deduplicate: false,
    onFailure: ({ line, failure }) => {
      firstFailure ??= `record ${recordIdOfLine.get(line)} line ${line}: ${failure.kind}: ${failure.message}`;
    },
  });
  const failed =
    report.failures > 0 ? `; ${report.failures} lines failed, kept in errors/ (first: ${firstFailure})` : '';
  log(
    `${stream}: delivered ${records.length} records as ${report.rowsWritten} rows in ${Date.now() - started} ms${failed}`,
  );
}

/** The records of a delivery as the lake reads them, numbered per stream. */
async function* linesOf(
  stream: DeliveryStream,
  records: readonly BufferedRecord[],
  lineCounter: { last: number },
  recordIdOfLine: Map<number, string>,
): AsyncGenerator<RawRecord> {
  for (const record of records) {
    for (const text of linesOfRecord(record.data)) {
      lineCounter.last += 1;
      recordIdOfLine.set(lineCounter.last, record.recordId);
      yield { text, origin: stream, line: lineCounter.last, arrivalTimestamp: record.arrivalTimestamp };
    }
  }
}

function recordIdSequence(): () => string {
  const instance = randomBytes(12).toString('hex');
  let next = 0;
  return () => `${instance}${(next++).toString(16).padStart(12, '0')}`;
}

function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

interface Settings {
  readonly host: string;
  readonly port: number;
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  readonly maxBufferedBytes: number;
  readonly accountId: string;
  readonly lake: string;
}

function settingsOf(options: FirehoseServerOptions): Settings {
  const bufferBytes = options.bufferBytes ?? defaults.bufferBytes;
  const settings: Settings = {
    host: options.host ?? defaults.host,
    port: options.port ?? defaults.port,
    bufferBytes,
    bufferIntervalMs: options.bufferIntervalMs ?? defaults.bufferIntervalMs,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * bufferBytes + FirehoseLimit.batchBytes,
    accountId: options.accountId ?? defaults.accountId,
    lake: options.lake,
  };
  requireWhole('bufferBytes', settings.bufferBytes, 1, 'e.g. 5242880 for 5 MiB');
  requireWhole('bufferIntervalMs', settings.bufferIntervalMs, 0, 'e.g. 60000 for 60 s');
  requireWhole('maxBufferedBytes', settings.maxBufferedBytes, settings.bufferBytes, 'at least bufferBytes');
  requireWhole('port', settings.port, 0, '0 for any free port, or 1 to 65535', 65_535);
  if (settings.lake.trim() === '') {
    throw new ServeConfigurationError(
      'startFirehoseServer: lake is empty; expected the lake folder; pass e.g. ./engagement-lake',
    );
  }
  return settings;
}

function requireWhole(
  name: string,
  value: number,
  min: number,
  hint: string,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ServeConfigurationError(
      `startFirehoseServer: ${name} is ${value}; expected a whole number from ${min} to ${max}; pass ${hint}`,
    );
  }
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ServeListenError(
          `cannot listen on ${host}:${port}: ${error.code ?? error.message}; pass another port (0 for any free one) ` +
            'or host, or stop what is using it',
          { cause: error },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
}
