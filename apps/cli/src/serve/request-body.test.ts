import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readRequestBody, type RequestBodyResult } from './request-body';

describe('readRequestBody', () => {
  const limitBytes = 1024;
  let server: Server;
  let port: number;
  let results: RequestBodyResult[];
  let nextResult: Promise<RequestBodyResult>;
  let resolveNext: (result: RequestBodyResult) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      void readRequestBody(request, limitBytes).then((result) => {
        results.push(result);
        resolveNext(result);
        response.writeHead(result.ok ? 200 : 413, { connection: result.ok ? 'keep-alive' : 'close' });
        response.end(result.ok ? String(result.value.length) : result.error.message);
        if (!result.ok) response.once('finish', () => request.socket.destroySoon());
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    results = [];
    nextResult = new Promise((resolve) => (resolveNext = resolve));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function post(
    body: Buffer,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/', headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  it('returns the whole body when it is within the limit', async () => {
    const body = Buffer.alloc(limitBytes, 'a');

    const answer = await post(body);

    expect(answer).toEqual({ status: 200, text: String(limitBytes) });
    expect(results[0]).toEqual({ ok: true, value: body });
  });

  it('refuses by Content-Length before the body arrives', async () => {
    // Only the headers are sent: an answer proves the server did not wait for the 10 MB announced.
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n');

    const result = await nextResult;
    socket.destroy();

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'too-large',
        message: 'request body of Content-Length 10000000 is over the limit of 1024 bytes',
      },
    });
  });

  it('refuses a chunked body once the bytes counted pass the limit', async () => {
    const body = Buffer.alloc(3 * limitBytes, 'b');

    const answer = await post(body, { 'transfer-encoding': 'chunked' });
    const result = await nextResult;

    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ error: { kind: 'too-large' } });
    expect(!result.ok && result.error.message).toMatch(
      /^request body of more than \d+ bytes is over the limit of 1024 bytes$/,
    );
    expect(answer.status).toBe(413);
  });

  it('reports an aborted body when the client goes away midway', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\n{"partial":');

    setTimeout(() => socket.destroy(), 20);
    const result = await nextResult;

    expect(result).toMatchObject({ ok: false, error: { kind: 'aborted' } });
  });
});
