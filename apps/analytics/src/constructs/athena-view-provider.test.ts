import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import {
  emptyStack,
  providerIn,
  removeTestOutdirs,
  testBundleDirectory,
  thrownBy,
  workgroupIn,
} from '../../test/test-stack';
import { HandlerBundleMissingError } from '../errors';
import { AthenaViewProvider, type AthenaViewProviderProps } from './athena-view-provider';

afterAll(() => {
  removeTestOutdirs();
});

function propsWith(
  stack: ReturnType<typeof emptyStack>,
  props: Partial<AthenaViewProviderProps>,
): AthenaViewProviderProps {
  return {
    workgroup: workgroupIn(stack),
    databaseName: 'acme-glue-db',
    tableNames: ['acme-events-table'],
    bundleDirectory: testBundleDirectory,
    functionNamePrefix: 'acme-athena-view',
    ...props,
  };
}

describe('AthenaViewProvider', () => {
  it('runs the bundled handlers on the latest Node.js runtime, polled by the provider framework every 5 s for 10 min', () => {
    // Prepare
    const stack = emptyStack();
    providerIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    for (const [name, handler] of [
      ['acme-athena-view-on-event', 'index.onEvent'],
      ['acme-athena-view-is-complete', 'index.isComplete'],
    ]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: name,
        Handler: handler,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: 120,
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/${name}`,
        RetentionInDays: 30,
      });
    }
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"IntervalSeconds\\":5');
    expect(definition).toContain('\\"MaxAttempts\\":120');
  });

  it('allows creating exactly the views it is given, once each', () => {
    // Prepare
    const stack = emptyStack();
    const provider = providerIn(stack);

    // Act
    provider.allowView('messages');
    provider.allowView('messages');
    provider.allowView('message_counts');

    // Assert
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    const define = statements.find(
      (s) => JSON.stringify(s.Action) === JSON.stringify(['glue:CreateTable', 'glue:UpdateTable']),
    );
    expect(JSON.stringify(define?.Resource).match(/:table\/[^"]+/g)).toEqual([
      ':table/acme-glue-db/messages',
      ':table/acme-glue-db/message_counts',
    ]);
    expect(() => provider.allowView('Bad Name')).toThrow(
      'AthenaViewProvider.allowView: "Bad Name" is no view name; expected ^[a-z0-9_]{1,255}$.',
    );
  });

  it('throws when the handler bundle was not built, saying how to build it', () => {
    // Prepare
    const stack = emptyStack();
    const missing = join(tmpdir(), 'analytics-no-bundle');

    // Act
    const error = thrownBy(
      () => new AthenaViewProvider(stack, 'Views', propsWith(stack, { bundleDirectory: missing })),
    );

    // Assert
    expect(error).toBeInstanceOf(HandlerBundleMissingError);
    expect(error.name).toBe('HandlerBundleMissingError');
    expect(error.message).toBe(
      `The Athena view handler bundle ${missing}/index.js does not exist; expected the esbuild output of ` +
        'apps/analytics/src/handlers/lambda.ts. Fix: run `npx nx run analytics:build` (synth, diff, deploy, destroy and test run it first).',
    );
  });

  it('rejects a database Athena cannot name, no lake tables and a prefix too long for a function name', () => {
    // Prepare
    const stack = emptyStack();

    // Act
    const error = thrownBy(
      () =>
        new AthenaViewProvider(
          stack,
          'Views',
          propsWith(stack, { databaseName: 'Acme DB', tableNames: [], functionNamePrefix: 'x'.repeat(53) }),
        ),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for AthenaViewProvider at Test/Views:\n' +
        '- databaseName is "Acme DB"; expected 1 to 255 lower-case letters, digits, hyphens or underscores (a Glue database name). ' +
        'Fix: pass the Glue database of the ingestion app, e.g. "engagementdb-glue-db".\n' +
        '- tableNames is []; expected the Glue names of the lake’s tables, e.g. ["engagementdb-events-table"]. ' +
        'Fix: pass the events and conversations tables of the database.\n' +
        `- functionNamePrefix is "${'x'.repeat(53)}"; expected 1 to 52 letters, digits, hyphens or underscores (a function name holds at most 64). ` +
        'Fix: pass a shorter functionNamePrefix (it is <namesPrefix>-athena-view).',
    );
  });
});
