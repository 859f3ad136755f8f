import { analyticsViews, createViewStatement } from '@engagement-db/sql';
import { type AthenaApiServer, startAthenaApiServer } from '../../test/athena-api-server';
import { CloudFormationEmulator, createFailedPhysicalId } from '../../test/cloudformation-emulator';
import {
  analyticsViewResources,
  athenaClientFor,
  emptyLake,
  removeLake,
  testDatabase,
  testWorkGroup,
  viewResource,
} from '../../test/athena-view-fixtures';
import { type AthenaViewHandlers, createAthenaViewHandlers } from './athena-view-handler';
import { athenaViewPropertiesOf } from './athena-view-properties';

let lake: string;
let athena: AthenaApiServer;
let handlers: AthenaViewHandlers;
let cloudFormation: CloudFormationEmulator;

beforeEach(async () => {
  lake = emptyLake();
  athena = await startAthenaApiServer({ lake, workGroup: testWorkGroup });
  handlers = createAthenaViewHandlers(athenaClientFor(athena.endpoint));
  cloudFormation = new CloudFormationEmulator(handlers);
});

afterEach(async () => {
  await athena.close();
  removeLake(lake);
});

/** The views of the Glue database in the engine, the lake's tables left out, by name. */
async function viewsInEngine(): Promise<string[]> {
  const result = await athena.engine.query(
    `SELECT view_name FROM duckdb_views() WHERE schema_name = '${testDatabase}' AND view_name NOT LIKE '%-table' ORDER BY view_name`,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows.map((row) => String(row.view_name));
}

async function columnsOf(view: string): Promise<string[]> {
  const result = await athena.engine.query(`SELECT * FROM "${testDatabase}"."${view}" LIMIT 0`);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.columns.map((column) => column.name);
}

const reader = analyticsViews.find((view) => view.dependsOn.length > 0);
if (reader === undefined) throw new Error('expected an analytics view that reads another view');
const readerResource = viewResource(reader.name, createViewStatement(reader));

describe('Athena view handlers, deployed as CloudFormation does through the provider framework', () => {
  it('creates every view in dependency order, waiting for each query to end', async () => {
    // Prepare
    athena.reportRunningFor(2);
    const resources = analyticsViewResources();

    // Act
    const outcomes = await cloudFormation.deploy(resources);

    // Assert
    expect(outcomes.map((o) => [o.requestType, o.status, o.physicalResourceId])).toEqual(
      analyticsViews.map((view) => ['Create', 'SUCCESS', `${testDatabase}/${view.name}`]),
    );
    // Two answers of RUNNING, then the end: isComplete was asked at least three times.
    for (const outcome of outcomes) expect(outcome.polls).toBeGreaterThanOrEqual(3);
    expect(athena.executed).toEqual(analyticsViews.map((view) => createViewStatement(view)));
    expect(await viewsInEngine()).toEqual(analyticsViews.map((view) => view.name).sort());
    for (const view of analyticsViews) {
      expect(await columnsOf(view.name)).toEqual(view.columns.map((column) => column.name));
    }
  });

  it('fails a view created before a view it reads, with the engine’s reason', async () => {
    // Act
    const [outcome] = await cloudFormation.deploy([readerResource]);

    // Assert
    expect(outcome).toMatchObject({ requestType: 'Create', status: 'FAILED' });
    expect(outcome.reason?.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^CREATE OR REPLACE VIEW "${testDatabase}"."${reader.name}" FAILED \\(Athena query [0-9a-f-]{36}\\): ` +
            `Catalog Error: Table with name ${reader.dependsOn[0]} does not exist!`,
        ),
      ),
      '',
      'Logs: /aws/lambda/engagementdb-analytics-athena-view-is-complete',
      '',
    ]);
    expect(await viewsInEngine()).toEqual([]);
  });

  it('fails a broken view with the engine’s reason, on one line, in a response CloudFormation accepts', async () => {
    // Prepare
    const statement = `CREATE OR REPLACE VIEW "${testDatabase}"."broken" AS\n-- reads a column that does not exist\nSELECT messageid, no_such_column FROM "${testDatabase}"."engagementdb-events-table"`;

    // Act
    const [outcome] = await cloudFormation.deploy([viewResource('broken', statement)]);

    // Assert
    expect(outcome.status).toBe('FAILED');
    expect(outcome.reason).toMatch(
      /^CREATE OR REPLACE VIEW "engagementdb-glue-db"."broken" FAILED \(Athena query [0-9a-f-]{36}\): Binder Error: Referenced column "no_such_column" not found in FROM clause! Candidate bindings: .* LINE \d+: .*\n\nLogs: /,
    );
    expect(outcome.responseBytes).toBeLessThanOrEqual(4096);
  });

  it('cuts a reason too long for a custom-resource response, keeping the response within 4096 bytes', async () => {
    // Prepare: DuckDB names the missing column in its reason, twice.
    const longName = `missing_${'é"'.repeat(3000)}`;
    const statement = `CREATE OR REPLACE VIEW "${testDatabase}"."long_reason" AS SELECT "${longName.replaceAll('"', '""')}" FROM "${testDatabase}"."engagementdb-events-table"`;

    // Act
    const [outcome] = await cloudFormation.deploy([viewResource('long_reason', statement)]);

    // Assert
    const [message] = (outcome.reason ?? '').split('\n');
    expect(message).toMatch(
      /^CREATE OR REPLACE VIEW "engagementdb-glue-db"."long_reason" FAILED \(Athena query [0-9a-f-]{36}\): Binder Error: Referenced column "missing_é"é"/,
    );
    expect(message.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeGreaterThan(2000);
    expect(outcome.responseBytes).toBeLessThanOrEqual(4096);
  });

  it('replaces an edited view in place, keeping its physical id, and never drops it', async () => {
    // Prepare
    const original = viewResource(
      'sent_messages',
      `CREATE OR REPLACE VIEW "${testDatabase}"."sent_messages" AS SELECT messageid FROM "${testDatabase}"."engagementdb-events-table"`,
    );
    const edited = viewResource(
      'sent_messages',
      `CREATE OR REPLACE VIEW "${testDatabase}"."sent_messages" AS SELECT messageid, channel FROM "${testDatabase}"."engagementdb-events-table"`,
    );
    await cloudFormation.deploy([original]);

    // Act
    const outcomes = await cloudFormation.deploy([edited]);

    // Assert
    expect(outcomes.map((o) => [o.requestType, o.status, o.physicalResourceId])).toEqual([
      ['Update', 'SUCCESS', `${testDatabase}/sent_messages`],
    ]);
    expect(athena.executed).toEqual([original.properties.Statement, edited.properties.Statement]);
    expect(await columnsOf('sent_messages')).toEqual(['messageid', 'channel']);
  });

  it('runs nothing when an update leaves the SQL hash and the name as they were', async () => {
    // Prepare
    const [resource] = analyticsViewResources();
    await cloudFormation.deploy([resource]);
    const requestsBefore = athena.requests.length;

    // Act: another workgroup property, the same SQL.
    const outcomes = await cloudFormation.deploy([
      {
        ...resource,
        properties: {
          ...resource.properties,
          ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:new',
        },
      },
    ]);

    // Assert
    expect(outcomes.map((o) => [o.requestType, o.status, o.polls])).toEqual([['Update', 'SUCCESS', 1]]);
    expect(athena.requests.length).toBe(requestsBefore);
  });

  it('creates a renamed view, then drops the old one when CloudFormation deletes the old physical id', async () => {
    // Prepare
    const statementOf = (name: string) =>
      `CREATE OR REPLACE VIEW "${testDatabase}"."${name}" AS SELECT messageid FROM "${testDatabase}"."engagementdb-events-table"`;
    const before = viewResource('old_name', statementOf('old_name'));
    await cloudFormation.deploy([before]);

    // Act
    const outcomes = await cloudFormation.deploy([
      { ...viewResource('new_name', statementOf('new_name')), logicalId: before.logicalId },
    ]);

    // Assert
    expect(outcomes.map((o) => [o.requestType, o.status, o.physicalResourceId])).toEqual([
      ['Update', 'SUCCESS', `${testDatabase}/new_name`],
      ['Delete', 'SUCCESS', `${testDatabase}/old_name`],
    ]);
    expect(athena.executed.slice(1)).toEqual([
      statementOf('new_name'),
      `DROP VIEW IF EXISTS "${testDatabase}"."old_name"`,
    ]);
    expect(await viewsInEngine()).toEqual(['new_name']);
  });

  it('drops every view on destroy, readers first, and skips the Delete of a creation that failed', async () => {
    // Prepare
    await cloudFormation.deploy(analyticsViewResources());
    const executedBefore = athena.executed.length;

    // Act
    const outcomes = await cloudFormation.destroy();
    const failedCreation = await cloudFormation.delete(
      'ViewNeverMade',
      readerResource.properties,
      createFailedPhysicalId,
    );

    // Assert
    expect(outcomes.map((o) => [o.requestType, o.status])).toEqual(
      analyticsViews.map(() => ['Delete', 'SUCCESS']),
    );
    expect(athena.executed.slice(executedBefore)).toEqual(
      [...analyticsViews].reverse().map((view) => `DROP VIEW IF EXISTS "${testDatabase}"."${view.name}"`),
    );
    expect(failedCreation.status).toBe('SUCCESS');
    expect(athena.executed.length).toBe(executedBefore + analyticsViews.length);
    expect(await viewsInEngine()).toEqual([]);
  });
});

describe('Athena view handlers and throttling', () => {
  it.each([
    ['StartQueryExecution', 'TooManyRequestsException'],
    ['StartQueryExecution', 'ThrottlingException'],
    ['GetQueryExecution', 'ThrottlingException'],
  ] as const)('retries %s answered by %s, then succeeds', async (operation, error) => {
    // Prepare
    athena.throttle(operation, 2, error);

    // Act
    const [outcome] = await cloudFormation.deploy(analyticsViewResources().slice(0, 1));

    // Assert
    expect(outcome.status).toBe('SUCCESS');
    expect(athena.requests.filter((r) => r.operation === operation).length).toBeGreaterThanOrEqual(3);
    expect(
      athena.requests
        .filter((r) => r.operation === 'StartQueryExecution')
        .map((r) => r.body.ClientRequestToken),
    ).toEqual(
      Array(operation === 'StartQueryExecution' ? 3 : 1).fill(expect.stringMatching(/^[0-9a-f-]{36}$/)),
    );
    expect(athena.executed).toHaveLength(1);
  });

  it('answers not complete yet when Athena still throttles after the client’s retries', async () => {
    // Prepare
    const patientHandlers = createAthenaViewHandlers(athenaClientFor(athena.endpoint, 2));
    const [resource] = analyticsViewResources();
    const request = {
      RequestType: 'Create',
      RequestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      ResourceProperties: resource.properties,
    } as const;
    const started = await patientHandlers.onEvent(request);
    athena.throttle('GetQueryExecution', 2);

    // Act
    const whileThrottled = await patientHandlers.isComplete({ ...request, ...started });
    const afterwards = await patientHandlers.isComplete({ ...request, ...started });

    // Assert
    expect([whileThrottled, afterwards]).toEqual([{ IsComplete: false }, { IsComplete: true }]);
    expect(athena.requests.map((r) => r.operation)).toEqual([
      'StartQueryExecution',
      'GetQueryExecution',
      'GetQueryExecution',
      'GetQueryExecution',
    ]);
  });

  it('fails at once, without retrying, when Athena refuses the request', async () => {
    // Prepare
    const [resource] = analyticsViewResources();

    // Act
    const [outcome] = await cloudFormation.deploy([
      { ...resource, properties: { ...resource.properties, WorkGroup: 'primary' } },
    ]);

    // Assert
    expect(outcome).toMatchObject({
      requestType: 'Create',
      status: 'FAILED',
      physicalResourceId: createFailedPhysicalId,
    });
    expect(outcome.reason?.split('\n')[0]).toBe(
      `Athena did not start CREATE OR REPLACE VIEW "${testDatabase}"."${analyticsViews[0].name}" in workgroup primary: ` +
        'InvalidRequestException: WorkGroup primary is not found.',
    );
    expect(athena.requests).toHaveLength(1);
  });

  it('starts one query for a request the framework sends twice', async () => {
    // Prepare
    const [resource] = analyticsViewResources();
    const request = {
      RequestType: 'Create',
      RequestId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      ResourceProperties: resource.properties,
    } as const;

    // Act
    const first = await handlers.onEvent(request);
    const again = await handlers.onEvent(request);

    // Assert
    expect(again).toEqual(first);
    expect(athena.executed).toHaveLength(1);
  });
});

describe('Athena view handlers and invalid properties', () => {
  const [view] = analyticsViews;
  const properties = athenaViewPropertiesOf({
    database: testDatabase,
    viewName: view.name,
    statement: createViewStatement(view),
    workGroup: testWorkGroup,
  });

  it.each([
    [
      'a hash that is not the statement’s',
      { ...properties, SqlHash: 'abc' },
      `SqlHash is "abc"; expected the SHA-256 of Statement, ${properties.SqlHash}`,
    ],
    [
      'a statement that creates another view',
      { ...properties, ViewName: 'other_view' },
      `Statement starts ${JSON.stringify(properties.Statement.slice(0, `CREATE OR REPLACE VIEW "${testDatabase}"."other_view" AS`.length))}; expected "CREATE OR REPLACE VIEW \\"${testDatabase}\\".\\"other_view\\" AS"`,
    ],
    [
      'an unquotable database and no workgroup',
      { ...properties, Database: 'Glue DB', WorkGroup: undefined },
      'Database is "Glue DB"; expected a Glue database name (^[a-z0-9_-]{1,255}$); WorkGroup is undefined; expected a workgroup name; ' +
        `Statement starts ${JSON.stringify(properties.Statement.slice(0, 'CREATE OR REPLACE VIEW "Glue DB".'.length + view.name.length + 5))}; expected ${JSON.stringify(`CREATE OR REPLACE VIEW "Glue DB"."${view.name}" AS`)}`,
    ],
  ])('refuses %s before sending anything', async (_case, resourceProperties, problems) => {
    // Act
    const error = await handlers
      .onEvent({
        RequestType: 'Create',
        RequestId: '9b2d3b38-5f4c-4d57-a9e6-4c1d1e1b0f3a',
        ResourceProperties: resourceProperties,
      })
      .then(
        () => undefined,
        (e: Error) => e,
      );

    // Assert
    expect(error?.name).toBe('AthenaViewPropertiesError');
    expect(error?.message).toBe(`Invalid Custom::AthenaView properties: ${problems}.`);
    expect(error?.stack).toBe(`AthenaViewPropertiesError: ${error?.message}`);
    expect(athena.requests).toEqual([]);
  });
});
