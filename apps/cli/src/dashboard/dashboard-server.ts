import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dashboard } from '@engagement-db/dashboards';
import type { QueryLimits } from '@engagement-db/sql';
import { allowedHostCheck } from '../serve/allowed-hosts';
import { listen } from '../serve/firehose-server';
import { BodyRefusal, discardRequestBody, readRequestBody } from '../serve/request-body';
import { DashboardData, type DashboardDataFailure, DashboardDataFailureKind } from './dashboard-data';
import { type PageAsset, loadPageAssets } from './page-assets';

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  /** The lake folder shown. */
  readonly lake: string;
  /** The dashboard shown (the page bundles the same definition). */
  readonly dashboard: Dashboard;
  /** The address to listen on; default 127.0.0.1, so only this machine can see it. */
  readonly host?: string;
  /** The port to listen on; default 4574, 0 for any free port. */
  readonly port?: number;
  /** The query engine's time and memory limits for each query. */
  readonly limits?: QueryLimits;
  /** The folder of the built page files; default the one beside the bundled command. */
  readonly assetsDirectory?: string;
  /** Where failures to answer are reported, one line each; default nowhere. */
  readonly log?: (line: string) => void;
}

/** A running dashboard. */
export interface DashboardServer {
  /** The page's address, e.g. `http://127.0.0.1:4574/`. */
  readonly url: string;
  /** Stops listening, ends open connections and closes the query engine. */
  close(): Promise<void>;
}

/** The largest request body read: a filter selection (the page sends a few hundred bytes). */
export const requestBodyLimitBytes = 256 * 1024;
// A refused body is read and thrown away up to this much (so the client reads the answer), then cut.
const discardLimitBytes = 4 * 2 ** 20;

/**
 * The security headers of every answer. The page is one document, one script and one style sheet, all from
 * here: nothing inline, nothing from elsewhere, no frames, no plug-ins.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const sheetPath = /^\/api\/sheets\/([^/]+)$/;
const visualPath = /^\/api\/sheets\/([^/]+)\/visuals\/([^/]+)$/;
const optionsPath = /^\/api\/sheets\/([^/]+)\/filters\/([^/]+)\/options$/;

/**
 * Starts the dashboard page and its read-only data endpoints on `host`:`port` (see the README of apps/cli):
 *
 * - `GET /` the page (`/?sheet=sms` opens a sheet); `GET /assets/<name>` its script, style sheet and icon;
 * - `GET /api/lake` the lake's version and state, which the page polls to refresh when data lands;
 * - `POST /api/sheets/<sheet>` with `{ "filters": { ... } }` everything the sheet shows (what the page asks);
 * - `POST /api/sheets/<sheet>/visuals/<visual>` with `{ "filters": { ... } }` the rows of one KPI, chart or table;
 * - `GET /api/sheets/<sheet>/filters/<filter>/options` what a filter's control offers.
 *
 * No SQL comes from a request: a visual is named by its ids and computed with the definition's query, the
 * filter values bound as parameters. Requests whose `Host` is not an address of the server are refused (a page
 * elsewhere rebinding a name of its own to 127.0.0.1 cannot read the lake), and so are cross-origin posts.
 *
 * @throws ServeListenError when the host and port cannot be listened on.
 * @throws DashboardAssetsError when the page is not built.
 * @example
 * const server = await startDashboardServer({ lake: './engagement-lake', dashboard: engagementDashboard, port: 0 });
 * console.log(server.url); // http://127.0.0.1:40123/
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const assets = loadPageAssets(options.assetsDirectory);
  const data = new DashboardData({
    lake: options.lake,
    dashboard: options.dashboard,
    limits: options.limits,
  });
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';

  // Requests without a Host reach the Host check, which says what to open, rather than Node's bare 400.
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: { kind: 'internal', message: 'The dashboard failed to answer; see its log.' },
        });
      } else response.destroy();
    });
  });
  // A client that trickles its request in is cut off rather than holding a connection.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isServedHost(request.headers.host)) {
      sendFailure(response, 403, {
        kind: 'wrong-host',
        message:
          `Host ${JSON.stringify(request.headers.host ?? null)} is not an address of this dashboard; open ${url} ` +
          '(requests through other names, as a web page rebinding a name of its own would send them, are refused).',
      });
      discardRequestBody(request, discardLimitBytes);
      return;
    }
    const pathname = pathOf(request.url);
    const method = request.method ?? 'GET';
    if (pathname === '/' || pathname.startsWith('/assets/')) {
      const asset = pathname === '/' ? assets.page : assets.files.get(pathname.slice('/assets/'.length));
      if (!asset) return notFoundAnswer(request, response, pathname);
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(request, response, 'GET, HEAD');
      return sendAsset(request, response, asset);
    }
    if (pathname === '/api/lake') {
      if (method !== 'GET') return methodNotAllowed(request, response, 'GET');
      return sendJson(response, 200, await data.status());
    }
    const options = optionsPath.exec(pathname);
    if (options) {
      if (method !== 'GET') return methodNotAllowed(request, response, 'GET');
      const result = await data.filterOptions(decoded(options[1]), decoded(options[2]));
      return result.ok
        ? sendJson(response, 200, result.value)
        : sendFailure(response, statusOf(result.error, 'path'), result.error);
    }
    const sheet = sheetPath.exec(pathname);
    const visual = visualPath.exec(pathname);
    if (sheet || visual) {
      if (method !== 'POST') return methodNotAllowed(request, response, 'POST');
      const filters = await filtersOf(request, response);
      if (filters === undefined) return;
      const result = visual
        ? await data.visual(decoded(visual[1]), decoded(visual[2]), filters)
        : await data.sheet(decoded((sheet as RegExpExecArray)[1]), filters);
      return result.ok
        ? sendJson(response, 200, result.value)
        : sendFailure(response, statusOf(result.error, 'body'), result.error);
    }
    notFoundAnswer(request, response, pathname);
  }

  /** The filter selection of a visual's request, or undefined once the request is answered with a refusal. */
  async function filtersOf(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${request.headers.host}`) {
      sendFailure(response, 403, {
        kind: 'cross-origin',
        message: `requests from ${JSON.stringify(origin)} are refused; the dashboard answers its own page only`,
      });
      discardRequestBody(request, discardLimitBytes);
      return undefined;
    }
    // A page elsewhere cannot send JSON without asking first (CORS preflight), which is never granted.
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      sendFailure(response, 415, {
        kind: 'unsupported-media-type',
        message: `send the filters as application/json, got ${JSON.stringify(type)}`,
      });
      discardRequestBody(request, discardLimitBytes);
      return undefined;
    }
    const read = await readRequestBody(request, requestBodyLimitBytes);
    if (!read.ok) {
      if (read.error.kind === BodyRefusal.aborted) {
        request.destroy();
        return undefined;
      }
      sendFailure(response, 413, { kind: 'too-large', message: read.error.message });
      discardRequestBody(request, discardLimitBytes);
      return undefined;
    }
    let payload: unknown;
    try {
      payload = read.value.length === 0 ? {} : JSON.parse(read.value.toString('utf8'));
    } catch (error) {
      sendFailure(response, 400, {
        kind: 'bad-request',
        message: `the body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
      return undefined;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      sendFailure(response, 400, {
        kind: 'bad-request',
        message: 'expected a JSON object { "filters": { ... } }',
      });
      return undefined;
    }
    const extra = Object.keys(payload).filter((key) => key !== 'filters');
    if (extra.length > 0) {
      sendFailure(response, 400, {
        kind: 'bad-request',
        message: `the body has filters only, got ${extra.map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}`,
      });
      return undefined;
    }
    return (payload as { filters?: unknown }).filters ?? {};
  }

  await listen(server, host, options.port ?? 4574);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/`;
  const isServedHost = allowedHostCheck(address.address, address.port);
  // Opens the engine and counts the rows now, so the first page does not wait for it.
  void data.status();

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await data.close();
      })();
      return closing;
    },
  };
}

function pathOf(url: string | undefined): string {
  const text = url ?? '/';
  const end = text.search(/[?#]/);
  return end === -1 ? text : text.slice(0, end);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The HTTP status of a failure: unknown ids are 404, bad filter values 400, a busy or missing lake 503. */
function statusOf(error: DashboardDataFailure, idsFrom: 'path' | 'body'): number {
  switch (error.kind) {
    case DashboardDataFailureKind.unknownSheet:
    case DashboardDataFailureKind.unknownVisual:
      return 404;
    case DashboardDataFailureKind.unknownFilter:
      return idsFrom === 'path' ? 404 : 400;
    case DashboardDataFailureKind.badFilterValue:
      return 400;
    case DashboardDataFailureKind.busy:
    case DashboardDataFailureKind.noLake:
    case DashboardDataFailureKind.timeLimit:
    case DashboardDataFailureKind.memoryLimit:
      return 503;
    default:
      return 500;
  }
}

function methodNotAllowed(request: IncomingMessage, response: ServerResponse, allowed: string): void {
  sendFailure(response, 405, { kind: 'method-not-allowed', message: `use ${allowed}` }, { allow: allowed });
  discardRequestBody(request, discardLimitBytes);
}

function notFoundAnswer(request: IncomingMessage, response: ServerResponse, pathname: string): void {
  sendFailure(response, 404, {
    kind: 'not-found',
    message: `nothing at ${JSON.stringify(pathname.slice(0, 200))}; the page is at /, its data under /api/`,
  });
  discardRequestBody(request, discardLimitBytes);
}

function sendFailure(
  response: ServerResponse,
  status: number,
  error: { kind: string; message: string; path?: string },
  headers: Record<string, string> = {},
): void {
  const retry: Record<string, string> = status === 503 ? { 'retry-after': '1' } : {};
  sendJson(response, status, { error }, { ...retry, ...headers });
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...securityHeaders,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(text);
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: PageAsset): void {
  const headers = {
    ...securityHeaders,
    'content-type': asset.contentType,
    'cache-control': 'no-cache',
    etag: asset.etag,
  };
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-length': asset.body.length });
  response.end(request.method === 'HEAD' ? undefined : asset.body);
}
