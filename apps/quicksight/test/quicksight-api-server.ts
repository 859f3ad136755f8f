// A loopback server that answers as the QuickSight API does (REST-JSON, as its API reference documents
// it) for the calls this app makes: DescribeUser, DescribeGroup and DescribeDashboardDefinition, with
// its error shapes (x-amzn-errortype, a JSON body with Message and RequestId, the documented status).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QuickSightClient } from '@aws-sdk/client-quicksight';

/** The documented HTTP status of each QuickSight error. */
const errorStatus = {
  AccessDeniedException: 401,
  InvalidParameterValueException: 400,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalFailureException: 500,
  ResourceUnavailableException: 503,
} as const;
export type QuickSightErrorName = keyof typeof errorStatus;

/** A request the server received: what was asked, and the region and service it was signed for. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly signedRegion: string | undefined;
  readonly signedService: string | undefined;
}

/** The server, its state and a real SDK client pointed at it. */
export interface QuickSightApiServer {
  readonly endpoint: string;
  readonly requests: ReceivedRequest[];
  /** Users by `<account>/<namespace>/<name>`, as `User` of DescribeUser. */
  readonly users: Map<string, Record<string, unknown>>;
  readonly groups: Map<string, Record<string, unknown>>;
  /** DescribeDashboardDefinition answers by `<account>/<dashboard id>` (without RequestId and Status). */
  readonly dashboards: Map<string, Record<string, unknown>>;
  /** Errors to answer with, in order, before answering normally. */
  readonly failures: QuickSightErrorName[];
  client(region: string, maxAttempts?: number): QuickSightClient;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 and a free port. */
export async function startQuickSightApiServer(): Promise<QuickSightApiServer> {
  const state = {
    requests: [] as ReceivedRequest[],
    users: new Map<string, Record<string, unknown>>(),
    groups: new Map<string, Record<string, unknown>>(),
    dashboards: new Map<string, Record<string, unknown>>(),
    failures: [] as QuickSightErrorName[],
  };
  const server: Server = createServer((request, response) => answer(state, request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...state,
    endpoint,
    client: (region, maxAttempts = 3) =>
      new QuickSightClient({
        region,
        endpoint,
        maxAttempts,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      }),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

let requestCount = 0;

function answer(
  state: Pick<QuickSightApiServer, 'requests' | 'users' | 'groups' | 'dashboards' | 'failures'>,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const requestId = `request-${++requestCount}`;
  const url = new URL(request.url ?? '/', 'http://localhost');
  // Credential=AKID/20250101/us-east-1/quicksight/aws4_request
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(request.headers.authorization ?? '');
  state.requests.push({
    method: request.method ?? '',
    path: decodeURIComponent(url.pathname),
    signedRegion: scope?.[1],
    signedService: scope?.[2],
  });
  const send = (status: number, body: Record<string, unknown>, errorType?: string) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      ...(errorType && { 'x-amzn-errortype': errorType }),
    });
    response.end(JSON.stringify({ ...body, RequestId: requestId }));
  };
  const fail = (name: QuickSightErrorName, message: string, resourceType?: string) =>
    send(errorStatus[name], { Message: message, ...(resourceType && { ResourceType: resourceType }) }, name);

  if (!scope || scope[2] !== 'quicksight')
    return fail('AccessDeniedException', 'The request is not signed for quicksight.');
  const failure = state.failures.shift();
  if (failure) return fail(failure, `Simulated ${failure}.`);
  if (request.method !== 'GET')
    return fail('InvalidParameterValueException', `${request.method} is not supported here.`);

  const segments = url.pathname.split('/').slice(1).map(decodeURIComponent);
  const [accounts, account, kind, ...rest] = segments;
  if (accounts !== 'accounts' || !/^\d{12}$/.test(account ?? ''))
    return fail('InvalidParameterValueException', 'AwsAccountId must be 12 digits.');
  if (kind === 'namespaces' && rest.length === 3 && (rest[1] === 'users' || rest[1] === 'groups')) {
    const [namespace, collection, name] = rest;
    const found = (collection === 'users' ? state.users : state.groups).get(
      `${account}/${namespace}/${name}`,
    );
    if (!found) {
      const what = collection === 'users' ? 'User' : 'Group';
      return fail(
        'ResourceNotFoundException',
        `${what} not found: arn:aws:quicksight:${scope[1]}:${account}:${collection.slice(0, -1)}/${namespace}/${name}`,
        collection === 'users' ? 'USER' : 'GROUP',
      );
    }
    return send(200, { Status: 200, [collection === 'users' ? 'User' : 'Group']: found });
  }
  if (kind === 'dashboards' && rest.length === 2 && rest[1] === 'definition') {
    const found = state.dashboards.get(`${account}/${rest[0]}`);
    if (!found) return fail('ResourceNotFoundException', `Dashboard ${rest[0]} not found`, 'DASHBOARD');
    return send(200, { Status: 200, DashboardId: rest[0], ...found });
  }
  return fail('InvalidParameterValueException', `No operation at ${url.pathname}.`);
}
