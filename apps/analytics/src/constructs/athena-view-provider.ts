import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeFindings, checkProps } from '@engagement-db/cdk-kit';
import { HandlerBundleMissingError } from '../errors';
import { databaseNamePattern, viewNamePattern } from '../handlers/athena-view-properties';
import type { AthenaWorkgroup } from './athena-workgroup';

/** Where the views are created and the handler that creates them. */
export interface AthenaViewProviderProps {
  /** The workgroup the view statements run in. */
  readonly workgroup: AthenaWorkgroup;
  /** The Glue database the views are created in. */
  readonly databaseName: string;
  /** The lake's tables in the database: the views read them, and the handler may never drop or change them. */
  readonly tableNames: readonly string[];
  /** The folder holding the bundled `index.js` of `src/handlers/lambda.ts`, written by the app's build. */
  readonly bundleDirectory: string;
  /** The start of the functions' names: `<prefix>-on-event`, `<prefix>-is-complete`. */
  readonly functionNamePrefix: string;
  /**
   * How long CloudWatch keeps the functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/** How often the provider asks whether a view's query has ended, and for how long. */
export const viewQueryWait = { interval: Duration.seconds(5), timeout: Duration.minutes(10) } as const;

/**
 * The custom-resource provider of `Custom::AthenaView`: the handler bundle as two functions,
 * `onEvent` (starts the view's statement in the workgroup) and `isComplete` (follows it to its end),
 * behind aws-cdk-lib's provider framework, which polls `isComplete` every 5 seconds for up to 10
 * minutes. Its roles name every resource they use: the workgroup, the results prefix, the Glue
 * catalog and database, and the tables of the views it is given with `allowView`.
 *
 * @example const provider = new AthenaViewProvider(stack, 'Views', { workgroup, databaseName, tableNames, bundleDirectory, functionNamePrefix });
 */
export class AthenaViewProvider extends Construct {
  readonly workgroup: AthenaWorkgroup;
  readonly databaseName: string;
  /** The token a `Custom::AthenaView` resource names its provider with. */
  readonly serviceToken: string;
  readonly onEventFunction: lambda.IFunction;
  readonly isCompleteFunction: lambda.IFunction;
  private readonly defineViews: iam.PolicyStatement;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: AthenaViewProviderProps) {
    super(scope, id);
    checkProps(this, [
      {
        prop: 'databaseName',
        value: props.databaseName,
        valid: databaseNamePattern.test(props.databaseName),
        expected: '1 to 255 lower-case letters, digits, hyphens or underscores (a Glue database name)',
        fix: 'pass the Glue database of the ingestion app, e.g. "engagementdb-glue-db"',
      },
      {
        prop: 'tableNames',
        value: props.tableNames,
        valid:
          props.tableNames.length > 0 && props.tableNames.every((name) => databaseNamePattern.test(name)),
        expected: 'the Glue names of the lake’s tables, e.g. ["engagementdb-events-table"]',
        fix: 'pass the events and conversations tables of the database',
      },
      {
        prop: 'functionNamePrefix',
        value: props.functionNamePrefix,
        valid: /^[A-Za-z0-9_-]{1,52}$/.test(props.functionNamePrefix),
        expected: '1 to 52 letters, digits, hyphens or underscores (a function name holds at most 64)',
        fix: 'pass a shorter functionNamePrefix (it is <namesPrefix>-athena-view)',
      },
    ]);
    if (!existsSync(join(props.bundleDirectory, 'index.js'))) {
      throw new HandlerBundleMissingError(props.bundleDirectory);
    }
    this.workgroup = props.workgroup;
    this.databaseName = props.databaseName;
    const stack = Stack.of(this);
    const glueArn = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName });
    const catalogAndDatabase = [glueArn('catalog'), glueArn('database', props.databaseName)];
    const tableArn = (name: string) => glueArn('table', `${props.databaseName}/${name}`);
    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const code = lambda.Code.fromAsset(props.bundleDirectory);

    const handlerFunction = (handler: 'onEvent' | 'isComplete', name: string, description: string) => {
      const functionName = `${props.functionNamePrefix}-${name}`;
      const logGroup = new logs.LogGroup(this, `${handler}Logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention,
      });
      const role = new iam.Role(this, `${handler}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `${description} Writes its own logs.`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      const fn = new lambda.Function(this, `${handler}Function`, {
        functionName,
        description,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        handler: `index.${handler}`,
        code,
        memorySize: 256,
        // The client retries a throttled request for about a minute.
        timeout: Duration.minutes(2),
        role,
        logGroup,
      });
      return { fn, role };
    };

    const onEvent = handlerFunction(
      'onEvent',
      'on-event',
      'Starts the CREATE OR REPLACE VIEW or DROP VIEW of an engagement-db analytics view in Athena.',
    );
    const isComplete = handlerFunction(
      'isComplete',
      'is-complete',
      'Follows the Athena query of an engagement-db analytics view to its end.',
    );
    props.workgroup.grantStartQueryExecution(onEvent.role);
    props.workgroup.grantGetQueryExecution(isComplete.role);
    // Athena reads and writes the catalog with the permissions of who started the query.
    onEvent.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['glue:GetDatabase'], resources: catalogAndDatabase }),
    );
    onEvent.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetTable', 'glue:DeleteTable'],
        resources: [...catalogAndDatabase, tableArn('*')],
      }),
    );
    this.defineViews = new iam.PolicyStatement({
      actions: ['glue:CreateTable', 'glue:UpdateTable'],
      resources: [...catalogAndDatabase],
    });
    onEvent.role.addToPolicy(this.defineViews);
    onEvent.role.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['glue:DeleteTable', 'glue:UpdateTable'],
        resources: props.tableNames.map(tableArn),
      }),
    );
    acknowledgeFindings(onEvent.role, {
      [`AwsSolutions-IAM5[Resource::${nagArnOf(stack, 'glue', `table/${props.databaseName}/*`)}]`]:
        'A view statement reads the tables and views it names, and a renamed view is dropped by its old name after ' +
        'the policy already lists only the new names: reads and drops cover this one database, whose lake tables are denied.',
    });

    // Two roles, as the framework's waiter invokes the isComplete side and is started by the onEvent side.
    const frameworkLogs = new logs.LogGroup(this, 'FrameworkLogs', { retention });
    const frameworkRole = (roleId: string, runs: string) => {
      const role = new iam.Role(this, roleId, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the ${runs} of the CDK provider framework of the engagement-db Athena views. Writes its own logs.`,
      });
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [frameworkLogs.logGroupArn],
        }),
      );
      return role;
    };
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: onEvent.fn,
      isCompleteHandler: isComplete.fn,
      queryInterval: viewQueryWait.interval,
      totalTimeout: viewQueryWait.timeout,
      frameworkOnEventRole: frameworkRole('FrameworkOnEventRole', 'onEvent function'),
      frameworkCompleteAndTimeoutRole: frameworkRole(
        'FrameworkIsCompleteRole',
        'isComplete and onTimeout functions',
      ),
      logGroup: frameworkLogs,
    });
    acknowledgeFrameworkFindings(this, provider, [onEvent.fn, isComplete.fn]);
    this.serviceToken = provider.serviceToken;
    this.onEventFunction = onEvent.fn;
    this.isCompleteFunction = isComplete.fn;
  }

  /**
   * Lets the handler create and replace one view of the database (`glue:CreateTable`,
   * `glue:UpdateTable` on that view's table). `AthenaView` calls it for its own view.
   */
  allowView(viewName: string): void {
    if (!viewNamePattern.test(viewName)) {
      throw new Error(
        `AthenaViewProvider.allowView: "${viewName}" is no view name; expected ${viewNamePattern.source}.`,
      );
    }
    if (this.allowed.has(viewName)) return;
    this.allowed.add(viewName);
    this.defineViews.addResources(
      Stack.of(this).formatArn({
        service: 'glue',
        resource: 'table',
        resourceName: `${this.databaseName}/${viewName}`,
      }),
    );
  }
}

// The provider framework's functions, roles and state machine are aws-cdk-lib's: the invoke grants
// it writes and the waiter's settings are not ours to set.
function acknowledgeFrameworkFindings(
  scope: Construct,
  provider: cr.Provider,
  handlers: readonly lambda.IFunction[],
): void {
  const stack = Stack.of(provider);
  const because = 'The CDK custom-resource provider framework, run only while deploying the views, ';
  const reasons: Record<string, string> = {
    'AwsSolutions-SF1':
      'polls isComplete in a state machine that aws-cdk-lib defines; each poll is logged by the isComplete function, and a failure reaches CloudFormation with its reason.',
    'AwsSolutions-SF2':
      'polls isComplete in a state machine that aws-cdk-lib defines without X-Ray; the functions it calls log every step.',
  };
  // The waiter state machine invokes the framework's isComplete and onTimeout functions.
  const waited = ['framework-isComplete', 'framework-onTimeout'].map(
    (id) => provider.node.findChild(id) as lambda.Function,
  );
  for (const handler of [...handlers, ...waited]) {
    const arn = `<${stack.resolve((handler.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*`;
    reasons[`AwsSolutions-IAM5[Resource::${arn}]`] =
      'invokes this function with the <function ARN>:* grant aws-cdk-lib writes, which also covers its versions.';
  }
  acknowledgeFindings(
    scope,
    Object.fromEntries(Object.entries(reasons).map(([findingId, reason]) => [findingId, because + reason])),
  );
}

// An ARN as cdk-nag spells it in a finding id: unresolved partition, region and account as <AWS::...>.
function nagArnOf(stack: Stack, service: string, resource: string): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
}
