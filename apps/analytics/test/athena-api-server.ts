// A loopback HTTP server that answers as Athena's API documents (JSON 1.1 protocol) for the two
// operations the view handler calls, StartQueryExecution and GetQueryExecution, and runs each
// statement for real on a DuckDB lake through @engagement-db/sql: view definitions with
// runViewStatement, anything else with query. The real @aws-sdk/client-athena talks to it.
import { randomUUID } from 'node:crypto';
import { glueDatabaseName } from '@engagement-db/canonical-model';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type QueryEngine, analyticsViews, openQueryEngine } from '@engagement-db/sql';

/** The operations served, by their `X-Amz-Target` suffix. */
export type AthenaOperation = 'StartQueryExecution' | 'GetQueryExecution';

/** One request the server received: the operation and its JSON body. */
export interface AthenaApiRequest {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

interface QueryExecution {
  readonly id: string;
  readonly query: string;
  readonly token?: string;
  readonly submitted: number;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  reason?: string;
  completed?: number;
  /** GetQueryExecution answers RUNNING this many more times, even once the statement ended. */
  runningPolls: number;
}

/** Athena's throttling answers: `ThrottlingException`, and `TooManyRequestsException` for too many queries at once. */
export type ThrottlingError = 'ThrottlingException' | 'TooManyRequestsException';

/** The server, the engine its statements run on, and what it received. */
export interface AthenaApiServer {
  /** `http://127.0.0.1:<port>`, the client's `endpoint`. */
  readonly endpoint: string;
  readonly engine: QueryEngine;
  /** Every request, in order, throttled ones included. */
  readonly requests: AthenaApiRequest[];
  /** The statements it ran on the engine, in order. */
  readonly executed: string[];
  /** Answers the next `count` calls of `operation` with a throttling error. */
  throttle(operation: AthenaOperation, count: number, error?: ThrottlingError): void;
  /** Makes every query started from now on report RUNNING to its first `polls` GetQueryExecution calls. */
  reportRunningFor(polls: number): void;
  close(): Promise<void>;
}

const maxQueryStringBytes = 262_144;

/**
 * Starts the server on 127.0.0.1 over the lake folder, knowing one workgroup.
 *
 * @example const athena = await startAthenaApiServer({ lake, workGroup: 'engagementdb-analytics' });
 */
export async function startAthenaApiServer(options: {
  lake: string;
  workGroup: string;
}): Promise<AthenaApiServer> {
  const engine = await openQueryEngine({ lake: options.lake });
  // Athena's Glue database holds the lake's tables and no view until a deployment creates them; the
  // local engine starts with every analytics view, so they are dropped, readers first.
  for (const view of [...analyticsViews].reverse()) {
    const dropped = await engine.runViewStatement(`DROP VIEW IF EXISTS "${glueDatabaseName}"."${view.name}"`);
    if (!dropped.ok) throw new Error(`cannot drop ${view.name} before the test: ${dropped.error.message}`);
  }
  const executions = new Map<string, QueryExecution>();
  const throttled: Record<AthenaOperation, { count: number; error: ThrottlingError }> = {
    StartQueryExecution: { count: 0, error: 'ThrottlingException' },
    GetQueryExecution: { count: 0, error: 'ThrottlingException' },
  };
  const requests: AthenaApiRequest[] = [];
  const executed: string[] = [];
  let runningPolls = 0;

  async function execute(execution: QueryExecution): Promise<void> {
    execution.state = 'RUNNING';
    executed.push(execution.query);
    const definesView = /^\s*(CREATE\s+(OR\s+REPLACE\s+)?VIEW|DROP\s+VIEW)\b/i.test(execution.query);
    const result = definesView
      ? await engine.runViewStatement(execution.query)
      : await engine.query(execution.query);
    execution.state = result.ok ? 'SUCCEEDED' : 'FAILED';
    if (!result.ok) execution.reason = result.error.message;
    execution.completed = Date.now();
  }

  function startQueryExecution(body: Record<string, unknown>): [number, unknown] {
    const query = body.QueryString;
    const token = body.ClientRequestToken;
    if (typeof query !== 'string' || query.length === 0 || Buffer.byteLength(query) > maxQueryStringBytes) {
      return invalidRequest(`QueryString must be 1 to ${maxQueryStringBytes} bytes.`);
    }
    if (body.WorkGroup !== options.workGroup)
      return invalidRequest(`WorkGroup ${String(body.WorkGroup)} is not found.`);
    if (token !== undefined && (typeof token !== 'string' || token.length < 32 || token.length > 128)) {
      return invalidRequest('ClientRequestToken must be 32 to 128 characters.');
    }
    const earlier = [...executions.values()].find((e) => token !== undefined && e.token === token);
    if (earlier !== undefined) {
      // Idempotent: the same token answers the same query; with other parameters it is an error.
      return earlier.query === query
        ? [200, { QueryExecutionId: earlier.id }]
        : invalidRequest('Idempotent parameters do not match.');
    }
    const execution: QueryExecution = {
      id: randomUUID(),
      query,
      token: token as string | undefined,
      submitted: Date.now(),
      state: 'QUEUED',
      runningPolls,
    };
    executions.set(execution.id, execution);
    void execute(execution);
    return [200, { QueryExecutionId: execution.id }];
  }

  function getQueryExecution(body: Record<string, unknown>): [number, unknown] {
    const execution = executions.get(String(body.QueryExecutionId));
    if (execution === undefined)
      return invalidRequest(`QueryExecution ${String(body.QueryExecutionId)} was not found`);
    const held = execution.runningPolls > 0;
    if (held) execution.runningPolls--;
    const state = held ? 'RUNNING' : execution.state;
    const ended = state === 'SUCCEEDED' || state === 'FAILED';
    return [
      200,
      {
        QueryExecution: {
          QueryExecutionId: execution.id,
          Query: execution.query,
          StatementType: 'DDL',
          WorkGroup: options.workGroup,
          ResultConfiguration: { OutputLocation: `s3://query-results/results/${execution.id}.txt` },
          EngineVersion: {
            SelectedEngineVersion: 'Athena engine version 3',
            EffectiveEngineVersion: 'Athena engine version 3',
          },
          Status: {
            State: state,
            SubmissionDateTime: execution.submitted / 1000,
            ...(ended ? { CompletionDateTime: (execution.completed ?? Date.now()) / 1000 } : {}),
            ...(state === 'FAILED'
              ? {
                  StateChangeReason: execution.reason,
                  AthenaError: {
                    ErrorCategory: 2,
                    ErrorType: 1001,
                    Retryable: false,
                    ErrorMessage: execution.reason,
                  },
                }
              : {}),
          },
        },
      },
    ];
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.replace(/^AmazonAthena\./, '');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    requests.push({ operation, body });
    let answer: [number, unknown];
    if (request.method !== 'POST' || !target.startsWith('AmazonAthena.')) {
      answer = [400, { __type: 'UnknownOperationException', message: `Unknown operation ${target}` }];
    } else if (operation === 'StartQueryExecution' || operation === 'GetQueryExecution') {
      const throttle = throttled[operation];
      if (throttle.count > 0) {
        throttle.count--;
        answer = throttlingAnswer(throttle.error);
      } else {
        answer = operation === 'StartQueryExecution' ? startQueryExecution(body) : getQueryExecution(body);
      }
    } else {
      answer = [400, { __type: 'UnknownOperationException', message: `Unknown operation ${operation}` }];
    }
    const [status, payload] = answer;
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-requestid': randomUUID(),
    });
    response.end(JSON.stringify(payload));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'InternalServerException', Message: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    engine,
    requests,
    executed,
    throttle(operation, count, error = 'ThrottlingException') {
      throttled[operation] = { count, error };
    },
    reportRunningFor(polls) {
      runningPolls = polls;
    },
    async close() {
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      engine.close();
    },
  };
}

function invalidRequest(message: string): [number, unknown] {
  return [400, { __type: 'InvalidRequestException', Message: message, AthenaErrorCode: 'INVALID_INPUT' }];
}

function throttlingAnswer(error: ThrottlingError): [number, unknown] {
  return error === 'TooManyRequestsException'
    ? [
        400,
        {
          __type: 'TooManyRequestsException',
          Message: 'You have exceeded the limit for the number of queries you can run concurrently.',
          Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED',
        },
      ]
    : [400, { __type: 'ThrottlingException', message: 'Rate exceeded' }];
}
