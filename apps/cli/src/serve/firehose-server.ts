import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryStream } from '@engagement-db/canonical-model';
import { RecordSpool, type SpoolRecord } from '@engagement-db/lake';
import type { Mapper } from '@engagement-db/mapper';
import { allowedHostCheck } from './allowed-hosts';
import { DeliveryBuffer } from './delivery-buffer';
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
import { discardRequestBody, readRequestBody } from './request-body';

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
  /** Records acknowledged and not yet in the lake: after `close`, those kept in the spool for the next start. */
  pendingRecords(): number;
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
// The rest of a body refused as too large is read and thrown away, so that a client that sends its whole
// body before reading the answer gets the answer instead of a broken pipe; beyond this its connection is cut.
const discardLimitBytes = 64 * 2 ** 20;

/**
 * Starts a local endpoint speaking the Amazon Data Firehose API (AWS JSON 1.1) for the streams
 * `engagementdb-events` and `engagementdb-conversations`. A record is acknowledged once it is in the lake's
 * write-ahead spool on the disk (`RecordSpool`); the spool is delivered to the lake per stream on the buffer
 * rules, as Firehose buffers, and what an earlier run left in it is delivered at start. A record the mapper
 * cannot read is accepted, as on AWS, and lands in the lake's errors/ folder.
 *
 * @throws ServeConfigurationError when a buffer option is out of range.
 * @throws ServeListenError when the host and port cannot be listened on.
 * @throws LakeDirectoryError (from the lake) when the lake cannot be written.
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
  // One delivery at a time: both streams write to the same lake.
  let lakeQueue: Promise<unknown> = Promise.resolve();

  const streams = new Map<DeliveryStream, SpooledStream>();
  try {
    for (const stream of Object.values(DeliveryStream)) {
      const spool = await RecordSpool.open({
        lake: options.lake,
        stream: stream === DeliveryStream.events ? 'events' : 'conversations',
        mapper: options.mapper,
        origin: stream,
        split: linesOfRecord,
      });
      const buffer = new DeliveryBuffer({
        bufferBytes: settings.bufferBytes,
        bufferIntervalMs: settings.bufferIntervalMs,
        maxBufferedBytes: settings.maxBufferedBytes,
        deliver: () => {
          const delivery = lakeQueue.then(() => deliverSpool(stream, spool, log));
          lakeQueue = delivery.catch(() => undefined);
          return delivery;
        },
        onDeliveryFailed: (error, records) =>
          log(
            `${stream}: delivery of ${records} records failed, kept in the spool for the next try in ` +
              `${settings.bufferIntervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      streams.set(stream, { spool, buffer });
    }
  } catch (error) {
    await Promise.all([...streams.values()].map(({ spool }) => spool.close()));
    throw error;
  }

  /** Puts accepted records in the stream's spool; answered only once they are on the disk. */
  async function spooled(stream: SpooledStream, records: SpoolRecord[]): Promise<FirehoseError | undefined> {
    try {
      await stream.spool.append(records);
    } catch (error) {
      log(`records refused: ${error instanceof Error ? error.message : String(error)}`);
      return couldNotStore();
    }
    stream.buffer.added(
      records.length,
      records.reduce((sum, record) => sum + record.data.length, 0),
    );
    return undefined;
  }

  const operations: Readonly<
    Record<Operation, (payload: unknown, request: IncomingMessage) => Promise<Answer>>
  > = {
    PutRecord: async (payload) => {
      const parsed = parsePutRecord(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, data } = parsed.value;
      const stream = streamNamed(deliveryStreamName);
      if (!stream) return refuse(notFound(deliveryStreamName, settings.accountId));
      await stream.buffer.whenReady();
      if (!stream.buffer.accepts(data.length)) return refuse(slowDown());
      const recordId = nextRecordId();
      const refused = await spooled(stream, [{ recordId, data, arrivalTimestamp: Date.now() }]);
      if (refused) return refuse(refused);
      return { ok: true, body: { RecordId: recordId, Encrypted: false } };
    },
    PutRecordBatch: async (payload) => {
      const parsed = parsePutRecordBatch(payload);
      if (!parsed.ok) return refuse(parsed.error);
      const { deliveryStreamName, records } = parsed.value;
      const stream = streamNamed(deliveryStreamName);
      if (!stream) return refuse(notFound(deliveryStreamName, settings.accountId));
      await stream.buffer.whenReady();
      const arrivalTimestamp = Date.now();
      const accepted: SpoolRecord[] = [];
      let acceptedBytes = 0;
      const responses: PutResponseEntry[] = records.map((data) => {
        if (!stream.buffer.accepts(data.length, acceptedBytes)) return failedEntry(slowDown());
        acceptedBytes += data.length;
        const record = { recordId: nextRecordId(), data, arrivalTimestamp };
        accepted.push(record);
        return { RecordId: record.recordId };
      });
      const refused = await spooled(stream, accepted);
      const answered = refused
        ? responses.map((entry) => ('RecordId' in entry ? failedEntry(refused) : entry))
        : responses;
      const failed = answered.filter((entry) => 'ErrorCode' in entry).length;
      return { ok: true, body: { FailedPutCount: failed, Encrypted: false, RequestResponses: answered } };
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

  function streamNamed(name: string): SpooledStream | undefined {
    return isDeliveryStream(name) ? streams.get(name) : undefined;
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
    if (!isServedHost(request.headers.host)) {
      answer(response, refuse(wrongHost(request.headers.host, url)));
      discardRequestBody(request, discardLimitBytes);
      return;
    }
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
      const message = `${tooLargeHint[operation.value]}: ${read.message}`;
      answer(response, refuse({ type: FirehoseErrorType.invalidArgument, message, status: 413 }));
      discardRequestBody(request, discardLimitBytes);
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

  try {
    await listen(server, settings.host, settings.port);
  } catch (error) {
    await Promise.all([...streams.values()].map(({ spool }) => spool.close()));
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const isServedHost = allowedHostCheck(address.address, address.port);

  const flush = async (): Promise<void> => {
    await Promise.all([...streams.values()].map(({ buffer }) => buffer.flush()));
  };
  const pendingRecords = (): number =>
    [...streams.values()].reduce((sum, { spool }) => sum + spool.pendingRecords, 0);

  // What an earlier run acknowledged and could not deliver is delivered first.
  for (const [stream, { spool, buffer }] of streams) {
    if (spool.pendingRecords === 0) continue;
    log(`${stream}: ${spool.pendingRecords} records left in the spool by an earlier run; delivering them`);
    buffer.added(spool.pendingRecords, spool.pendingBytes);
    void buffer.flush();
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), closeGraceMs);
      await stopped;
      clearTimeout(cut);
      await flush();
      for (const { buffer } of streams.values()) buffer.stop();
      await Promise.all([...streams.values()].map(({ spool }) => spool.close()));
      const left = pendingRecords();
      if (left > 0) {
        log(
          `stopped with ${left} records not delivered to ${options.lake}; they stay in its spool and are ` +
            'delivered when serve starts again',
        );
      }
    })();
    return closing;
  };

  return { url, flush, close, pendingRecords };
}

/** A delivery stream's spool, and when it is delivered. */
interface SpooledStream {
  readonly spool: RecordSpool;
  readonly buffer: DeliveryBuffer;
}

type PutResponseEntry =
  { readonly RecordId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

function failedEntry({ type, message }: FirehoseError): PutResponseEntry {
  return { ErrorCode: type, ErrorMessage: message };
}

type Answer =
  { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: FirehoseError };

function refuse(error: FirehoseError): Answer & { ok: false } {
  return { ok: false, error };
}

function answer(response: ServerResponse, result: Answer): void {
  if (result.ok) {
    send(response, 200, result.body);
    return;
  }
  const { type, message, status } = result.error;
  send(response, status, { __type: type, message }, { 'x-amzn-ErrorType': type });
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

function couldNotStore(): FirehoseError {
  return {
    type: FirehoseErrorType.serviceUnavailable,
    message: 'The endpoint could not store the record on its disk; see its log. Try again later.',
    status: 503,
  };
}

function wrongHost(host: string | undefined, url: string): FirehoseError {
  return {
    type: FirehoseErrorType.accessDenied,
    message:
      `Host ${JSON.stringify(host ?? null)} is not an address of this endpoint; send requests to ${url} ` +
      '(requests through other names, as a web page rebinding a name of its own would send them, are refused).',
    status: 403,
  };
}

// The SDK signs each request for a region; answering with the same region keeps ARNs consistent for the client.
const credentialScope = /Credential=[^/,]+\/\d{8}\/([^/,]+)\/firehose\//;

function regionOf(request: IncomingMessage): string {
  return credentialScope.exec(request.headers.authorization ?? '')?.[1] ?? 'us-east-1';
}

async function deliverSpool(
  stream: DeliveryStream,
  spool: RecordSpool,
  log: (line: string) => void,
): Promise<void> {
  let firstFailure: string | undefined;
  const started = Date.now();
  const delivered = await spool.deliver(({ recordId, line, failure }) => {
    firstFailure ??= `record ${recordId} line ${line}: ${failure.kind}: ${failure.message}`;
  });
  if (!delivered) return;
  const { records, ingest: report } = delivered;
  const failed =
    report.failures > 0 ? `; ${report.failures} lines failed, kept in errors/ (first: ${firstFailure})` : '';
  log(
    `${stream}: delivered ${records} records as ${report.rowsWritten} rows in ${Date.now() - started} ms${failed}`,
  );
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
