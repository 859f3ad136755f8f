import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Mapper } from '@engagement-db/mapper';
import { ServeConfigurationError, ServeListenError } from './errors';
import { clientError, FirehoseErrorType, type FirehoseError } from './firehose-error';
import { firehoseOperations } from './firehose-operations';
import { answer, bodyLimitOf, operationOf, refuse, send, tooLargeHint } from './firehose-protocol';
import { FirehoseLimit } from './firehose-requests';
import { allowedHostCheck } from './allowed-hosts';
import { deliverLeftovers, openSpooledStreams } from './lake-delivery';
import { BodyRefusal, discardRequestBody, readRequestBody } from './request-body';

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
 * cannot read is accepted, as on AWS, and lands in the lake's errors/ folder. Requests whose `Host` is not
 * an address of the endpoint are refused (a web page rebinding a name of its own cannot reach it).
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
  const streams = await openSpooledStreams({ ...settings, mapper: options.mapper, log });
  const operations = firehoseOperations(streams, { ...settings, createdAt: new Date() });
  const closeSpools = () => Promise.all([...streams.values()].map(({ spool }) => spool.close()));

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
      answer(response, operation);
      return;
    }
    const read = await readRequestBody(request, bodyLimitOf[operation.value]);
    if (!read.ok) {
      if (read.error.kind === BodyRefusal.aborted) {
        request.destroy();
        return;
      }
      const message = `${tooLargeHint[operation.value]}: ${read.error.message}`;
      answer(response, refuse({ kind: FirehoseErrorType.invalidArgument, message, status: 413 }));
      discardRequestBody(request, discardLimitBytes);
      return;
    }
    let payload: unknown;
    try {
      payload = read.value.length === 0 ? {} : JSON.parse(read.value.toString('utf8'));
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
    await closeSpools();
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
  deliverLeftovers(streams, log);

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
      await closeSpools();
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

function wrongHost(host: string | undefined, url: string): FirehoseError {
  return {
    kind: FirehoseErrorType.accessDenied,
    message:
      `Host ${JSON.stringify(host ?? null)} is not an address of this endpoint; send requests to ${url} ` +
      '(requests through other names, as a web page rebinding a name of its own would send them, are refused).',
    status: 403,
  };
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

/** Listens on `host`:`port`, or throws ServeListenError saying why not (port taken, address not local). */
export function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
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
