// What CloudFormation and the CDK provider framework do with a custom resource's handlers, as
// their documentation and the framework's source describe it: Create, Update and Delete requests
// in dependency order; onEvent, then isComplete until it says complete; a FAILED response whose
// reason is the error's message, the framework's `Logs:` line and the error's stack after its first
// line; and, after an update that changed a resource's physical id, a Delete of the old id with
// the old properties. Used to drive the Athena view handlers as a deployment would.
import { randomUUID } from 'node:crypto';
import type {
  AthenaViewHandlers,
  AthenaViewRequest,
  AthenaViewResponse,
} from '../src/handlers/athena-view-handler';

/** The physical id the framework gives a resource whose creation failed, so its Delete is skipped. */
export const createFailedPhysicalId = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** What CloudFormation got back for one request. */
export interface CustomResourceOutcome {
  readonly logicalId: string;
  readonly requestType: AthenaViewRequest['RequestType'];
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
  /** The size of the response body the framework sends; CloudFormation accepts at most 4096 bytes. */
  readonly responseBytes: number;
  /** How many times isComplete was asked. */
  readonly polls: number;
}

/** One resource of a template: its logical id and properties, in the order its dependencies give. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

const stackId =
  'arn:aws:cloudformation:eu-west-1:123456789012:stack/engagementdb-analytics/5b6f0c10-1d8a-11f0-9d3e-0a1b2c3d4e5f';
const logGroup = '/aws/lambda/engagementdb-analytics-athena-view-is-complete';

/** The deployed state of a stack's view resources and how to deploy a new template over it. */
export class CloudFormationEmulator {
  private readonly deployed = new Map<
    string,
    { properties: Readonly<Record<string, unknown>>; physicalId: string }
  >();
  private readonly order: string[] = [];

  constructor(
    private readonly handlers: AthenaViewHandlers,
    private readonly options: { maxPolls?: number } = {},
  ) {}

  /**
   * Deploys the resources: creates new ones, updates changed ones, in the order given; then, as the
   * cleanup phase, deletes the old physical ids of replaced resources and the resources no longer in
   * the template (last created first). Stops at the first failure.
   */
  async deploy(resources: readonly TemplateResource[]): Promise<CustomResourceOutcome[]> {
    const outcomes: CustomResourceOutcome[] = [];
    const cleanup: {
      logicalId: string;
      properties: Readonly<Record<string, unknown>>;
      physicalId: string;
    }[] = [];
    for (const { logicalId, properties } of resources) {
      const before = this.deployed.get(logicalId);
      if (before !== undefined && JSON.stringify(before.properties) === JSON.stringify(properties)) continue;
      const outcome = await this.send(logicalId, {
        RequestType: before === undefined ? 'Create' : 'Update',
        RequestId: randomUUID(),
        ResourceProperties: properties,
        ...(before === undefined
          ? {}
          : { OldResourceProperties: before.properties, PhysicalResourceId: before.physicalId }),
      });
      outcomes.push(outcome);
      if (outcome.status === 'FAILED') return outcomes;
      if (before !== undefined && before.physicalId !== outcome.physicalResourceId) {
        cleanup.push({ logicalId, ...before });
      }
      if (before === undefined) this.order.push(logicalId);
      this.deployed.set(logicalId, { properties, physicalId: outcome.physicalResourceId });
    }
    const kept = new Set(resources.map((r) => r.logicalId));
    for (const logicalId of [...this.order].reverse()) {
      if (kept.has(logicalId)) continue;
      cleanup.push({
        logicalId,
        ...(this.deployed.get(logicalId) as { properties: Record<string, unknown>; physicalId: string }),
      });
      this.deployed.delete(logicalId);
      this.order.splice(this.order.indexOf(logicalId), 1);
    }
    for (const { logicalId, properties, physicalId } of cleanup) {
      outcomes.push(await this.delete(logicalId, properties, physicalId));
    }
    return outcomes;
  }

  /** Deletes every resource, last created first, as `cdk destroy` does. */
  async destroy(): Promise<CustomResourceOutcome[]> {
    return this.deploy([]);
  }

  /** Sends a Delete for one resource, as CloudFormation does during cleanup or a rollback. */
  delete(
    logicalId: string,
    properties: Readonly<Record<string, unknown>>,
    physicalId: string,
  ): Promise<CustomResourceOutcome> {
    return this.send(logicalId, {
      RequestType: 'Delete',
      RequestId: randomUUID(),
      ResourceProperties: properties,
      PhysicalResourceId: physicalId,
    });
  }

  private async send(logicalId: string, request: AthenaViewRequest): Promise<CustomResourceOutcome> {
    const defaultId = request.PhysicalResourceId ?? request.RequestId;
    if (request.RequestType === 'Delete' && request.PhysicalResourceId === createFailedPhysicalId) {
      return this.outcome(logicalId, request, 'SUCCESS', defaultId, undefined, 0);
    }
    let response: AthenaViewResponse;
    try {
      response = await this.handlers.onEvent(request);
    } catch (error) {
      const physicalId = request.RequestType === 'Create' ? createFailedPhysicalId : defaultId;
      return this.outcome(logicalId, request, 'FAILED', physicalId, error, 0);
    }
    const physicalId = response.PhysicalResourceId ?? defaultId;
    const completion = { ...request, ...response };
    const maxPolls = this.options.maxPolls ?? 100;
    for (let polls = 1; polls <= maxPolls; polls++) {
      try {
        if ((await this.handlers.isComplete(completion)).IsComplete) {
          return this.outcome(logicalId, request, 'SUCCESS', physicalId, undefined, polls, response.Data);
        }
      } catch (error) {
        return this.outcome(logicalId, request, 'FAILED', physicalId, error, polls, response.Data);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.outcome(logicalId, request, 'FAILED', physicalId, new Error('Operation timed out'), maxPolls);
  }

  private outcome(
    logicalId: string,
    request: AthenaViewRequest,
    status: 'SUCCESS' | 'FAILED',
    physicalResourceId: string,
    error: unknown,
    polls: number,
    data?: Record<string, unknown>,
  ): CustomResourceOutcome {
    const reason = error === undefined ? undefined : frameworkReasonOf(error as Error);
    const body = JSON.stringify({
      Status: status,
      Reason: reason ?? status,
      StackId: stackId,
      RequestId: request.RequestId,
      PhysicalResourceId: physicalResourceId,
      LogicalResourceId: logicalId,
      Data: data,
    });
    return {
      logicalId,
      requestType: request.RequestType,
      status,
      physicalResourceId,
      ...(reason === undefined ? {} : { reason }),
      responseBytes: Buffer.byteLength(body, 'utf8'),
      polls,
    };
  }
}

// The Lambda runtime reports a thrown error as its message and its stack split into lines; the
// framework then writes the message, a line naming the log group, and the stack after its first line.
function frameworkReasonOf(error: Error): string {
  const trace = (error.stack ?? '').split('\n');
  return [error.message, '', `Logs: ${logGroup}`, '', ...trace.slice(1)].join('\n');
}
