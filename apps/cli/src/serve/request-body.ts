import type { IncomingMessage } from 'node:http';
import type { Failure, Result } from '@engagement-db/canonical-model';

/** Why a request body was not read. */
export const BodyRefusal = {
  /** `Content-Length` or the bytes received so far are over the limit. */
  tooLarge: 'too-large',
  /** The client went away before sending the whole body. */
  aborted: 'aborted',
} as const;
export type BodyRefusal = (typeof BodyRefusal)[keyof typeof BodyRefusal];

/** The body, or why it was not read. */
export type RequestBodyResult = Result<Buffer, Failure<BodyRefusal>>;

/**
 * Reads a request body of at most `limitBytes`, refusing a larger one without reading it whole: first by its
 * `Content-Length`, then by counting the bytes while they stream in (chunked bodies announce no length).
 * On refusal the request stops being read; the caller answers and closes the connection.
 *
 * @example
 * ```ts
 * const read = await readRequestBody(request, 64 * 1024);
 * if (!read.ok) console.error(`${read.error.kind}: ${read.error.message}`);
 * ```
 */
export function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<RequestBodyResult> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) {
    request.pause();
    return Promise.resolve(tooLarge(`Content-Length ${declared}`, limitBytes));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const settle = (result: RequestBodyResult): void => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > limitBytes) {
        request.pause();
        settle(tooLarge(`more than ${received} bytes`, limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => settle({ ok: true, value: Buffer.concat(chunks, received) }));
    request.once('error', (error) => settle(refused(BodyRefusal.aborted, error.message)));
    request.once('close', () => {
      if (!request.complete) settle(refused(BodyRefusal.aborted, 'the client closed the connection'));
    });
  });
}

function tooLarge(got: string, limitBytes: number): RequestBodyResult {
  return refused(BodyRefusal.tooLarge, `request body of ${got} is over the limit of ${limitBytes} bytes`);
}

function refused(kind: BodyRefusal, message: string): RequestBodyResult {
  return { ok: false, error: { kind, message } };
}

/**
 * Reads and throws away the rest of the body of a request already answered (refused), so that a client that
 * sends its whole body before reading the answer gets the answer rather than a broken pipe (EPIPE). The
 * connection stays open for the next request; a body longer than `limitBytes` gets it cut.
 *
 * @example
 * ```ts
 * answerTooLarge(response);
 * discardRequestBody(request, 64 * 2 ** 20);
 * ```
 */
export function discardRequestBody(request: IncomingMessage, limitBytes: number): void {
  if (request.complete) return;
  let discarded = 0;
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limitBytes) request.socket.destroy();
  });
  request.resume();
}
