import {
  type AthenaClient,
  type AthenaClientConfig,
  GetQueryExecutionCommand,
  QueryExecutionState,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  type AthenaViewProperties,
  createViewPrefixOf,
  databaseNamePattern,
  physicalIdOf,
  quotedName,
  sqlHashOf,
  viewNamePattern,
  viewOfPhysicalId,
} from './athena-view-properties';
import { AthenaViewPropertiesError, AthenaViewQueryError } from './errors';

/** A custom-resource request as the CDK provider framework hands it to `onEvent`. */
export interface AthenaViewRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** Unique per request; also the idempotency token of the query it starts. */
  readonly RequestId: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>>;
  /** The properties before an update. */
  readonly OldResourceProperties?: Readonly<Record<string, unknown>>;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
}

/** What `onEvent` answers: the view's physical id and the query it started, if it started one. */
export interface AthenaViewResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly QueryExecutionId: string };
}

/** What the provider framework hands to `isComplete`: the request with `onEvent`'s answer merged in. */
export type AthenaViewCompletionRequest = AthenaViewRequest & Partial<AthenaViewResponse>;

/** The Athena view custom resource's two handlers. */
export interface AthenaViewHandlers {
  /**
   * Starts the statement a request needs: `CREATE OR REPLACE VIEW` on Create, and on Update when
   * the SQL hash or the view's name changed (nothing when neither did); `DROP VIEW IF EXISTS` on
   * Delete. The physical id is the database and view name, so a rename gets a new id and
   * CloudFormation then deletes (drops) the old view, while an edit keeps the id and never drops.
   */
  onEvent(request: AthenaViewRequest): Promise<AthenaViewResponse>;
  /** Whether the started query has ended; throws with Athena's reason when it failed. */
  isComplete(request: AthenaViewCompletionRequest): Promise<{ IsComplete: boolean }>;
}

/**
 * How many times the client sends a request that Athena throttled (`ThrottlingException`,
 * `TooManyRequestsException` when too many queries run at once), with the SDK's exponential
 * backoff between attempts: about a minute in all.
 */
export const athenaMaxAttempts = 10;

/**
 * The Athena client settings of the handler: standard retries with {@link athenaMaxAttempts}.
 *
 * @example new AthenaClient(athenaClientConfig({ endpoint: 'http://127.0.0.1:4566' }))
 */
export function athenaClientConfig(config: AthenaClientConfig = {}): AthenaClientConfig {
  return { retryMode: 'standard', maxAttempts: athenaMaxAttempts, ...config };
}

const throttlingErrors: ReadonlySet<string> = new Set(['ThrottlingException', 'TooManyRequestsException']);

/**
 * The handlers of the `Custom::AthenaView` resource over an Athena client.
 *
 * @example
 * const { onEvent, isComplete } = createAthenaViewHandlers(new AthenaClient(athenaClientConfig()));
 */
export function createAthenaViewHandlers(client: AthenaClient): AthenaViewHandlers {
  async function start(statement: string, workGroup: string, request: AthenaViewRequest): Promise<string> {
    try {
      const { QueryExecutionId } = await client.send(
        new StartQueryExecutionCommand({
          QueryString: statement,
          WorkGroup: workGroup,
          // A framework retry of the same request finds the query it started, and starts no other.
          ClientRequestToken: request.RequestId,
        }),
      );
      if (QueryExecutionId === undefined) throw new Error('the answer has no QueryExecutionId');
      return QueryExecutionId;
    } catch (error) {
      throw new AthenaViewQueryError(
        `Athena did not start ${statementHead(statement)} in workgroup ${workGroup}: ${describe(error)}`,
        { cause: error },
      );
    }
  }

  return {
    async onEvent(request) {
      if (request.RequestType === 'Delete') {
        const view = viewOfPhysicalId(request.PhysicalResourceId);
        const physicalId = request.PhysicalResourceId ?? '';
        // Not an id this handler gave (a creation that failed before it): nothing was created.
        if (view === undefined) return { PhysicalResourceId: physicalId };
        const workGroup = request.ResourceProperties.WorkGroup;
        if (typeof workGroup !== 'string' || workGroup === '') {
          throw new AthenaViewPropertiesError(
            `WorkGroup is ${JSON.stringify(workGroup)}; expected the workgroup to drop ${quotedName(view.database, view.viewName)} in.`,
          );
        }
        const drop = `DROP VIEW IF EXISTS ${quotedName(view.database, view.viewName)}`;
        return {
          PhysicalResourceId: physicalId,
          Data: { QueryExecutionId: await start(drop, workGroup, request) },
        };
      }
      const properties = propertiesOf(request.ResourceProperties);
      const physicalId = physicalIdOf(properties.Database, properties.ViewName);
      const unchanged =
        request.RequestType === 'Update' &&
        request.PhysicalResourceId === physicalId &&
        request.OldResourceProperties?.SqlHash === properties.SqlHash;
      if (unchanged) return { PhysicalResourceId: physicalId };
      const queryExecutionId = await start(properties.Statement, properties.WorkGroup, request);
      return { PhysicalResourceId: physicalId, Data: { QueryExecutionId: queryExecutionId } };
    },

    async isComplete(request) {
      const queryExecutionId = request.Data?.QueryExecutionId;
      if (queryExecutionId === undefined) return { IsComplete: true };
      let execution;
      try {
        ({ QueryExecution: execution } = await client.send(
          new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }),
        ));
      } catch (error) {
        // Still throttled after the client's retries: the framework asks again after its interval.
        if (throttlingErrors.has((error as Error).name)) return { IsComplete: false };
        throw new AthenaViewQueryError(
          `Athena did not describe query ${queryExecutionId}: ${describe(error)}`,
          {
            cause: error,
          },
        );
      }
      const state = execution?.Status?.State;
      if (state === QueryExecutionState.SUCCEEDED) return { IsComplete: true };
      if (state === QueryExecutionState.FAILED || state === QueryExecutionState.CANCELLED) {
        const reason =
          execution?.Status?.StateChangeReason ??
          execution?.Status?.AthenaError?.ErrorMessage ??
          'no reason given';
        throw new AthenaViewQueryError(
          `${statementHead(execution?.Query ?? '')} ${state} (Athena query ${queryExecutionId}): ${reason}`,
        );
      }
      return { IsComplete: false };
    },
  };
}

// `CREATE OR REPLACE VIEW "db"."v"` or `DROP VIEW IF EXISTS "db"."v"`: the statement without its SELECT.
function statementHead(statement: string): string {
  const head = /^\s*(CREATE OR REPLACE VIEW|DROP VIEW IF EXISTS)\s+("(?:[^"]|"")*"\."(?:[^"]|"")*")/i.exec(
    statement,
  );
  return head === null ? 'the statement' : `${head[1]} ${head[2]}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function propertiesOf(raw: Readonly<Record<string, unknown>>): AthenaViewProperties {
  const text = (key: keyof AthenaViewProperties) =>
    typeof raw[key] === 'string' ? (raw[key] as string) : '';
  const properties: AthenaViewProperties = {
    Database: text('Database'),
    ViewName: text('ViewName'),
    Statement: text('Statement'),
    SqlHash: text('SqlHash'),
    WorkGroup: text('WorkGroup'),
  };
  const problems: string[] = [];
  if (!databaseNamePattern.test(properties.Database)) {
    problems.push(
      `Database is ${JSON.stringify(raw.Database)}; expected a Glue database name (${databaseNamePattern.source})`,
    );
  }
  if (!viewNamePattern.test(properties.ViewName)) {
    problems.push(
      `ViewName is ${JSON.stringify(raw.ViewName)}; expected a view name (${viewNamePattern.source})`,
    );
  }
  if (properties.WorkGroup === '')
    problems.push(`WorkGroup is ${JSON.stringify(raw.WorkGroup)}; expected a workgroup name`);
  const prefix = createViewPrefixOf(properties.Database, properties.ViewName);
  if (!properties.Statement.startsWith(prefix)) {
    problems.push(
      `Statement starts ${JSON.stringify(properties.Statement.slice(0, prefix.length))}; expected ${JSON.stringify(prefix)}`,
    );
  } else if (properties.SqlHash !== sqlHashOf(properties.Statement)) {
    problems.push(
      `SqlHash is ${JSON.stringify(raw.SqlHash)}; expected the SHA-256 of Statement, ${sqlHashOf(properties.Statement)}`,
    );
  }
  if (problems.length > 0) {
    throw new AthenaViewPropertiesError(`Invalid Custom::AthenaView properties: ${problems.join('; ')}.`);
  }
  return properties;
}
