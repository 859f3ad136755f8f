import { Template } from 'aws-cdk-lib/assertions';
import { emptyStack, providerIn, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { sqlHashOf } from '../handlers/athena-view-properties';
import { AthenaView } from './athena-view';

afterAll(() => {
  removeTestOutdirs();
});

const statementOf = (name: string, select = 'SELECT messageid FROM "acme-glue-db"."acme-events-table"') =>
  `CREATE OR REPLACE VIEW "acme-glue-db"."${name}" AS\n${select}`;

describe('AthenaView', () => {
  it('creates the view through the provider with its statement, hash and workgroup, after the views it reads', () => {
    // Prepare
    const stack = emptyStack();
    const provider = providerIn(stack);
    const messages = new AthenaView(stack, 'Messages', {
      provider,
      viewName: 'messages',
      statement: statementOf('messages'),
    });
    const counts = new AthenaView(stack, 'Counts', {
      provider,
      viewName: 'message_counts',
      statement: statementOf('message_counts', 'SELECT count(*) AS n FROM "acme-glue-db"."messages"'),
    });

    // Act
    counts.addDependency(messages);

    // Assert
    const template = Template.fromStack(stack);
    const resources = template.findResources('Custom::AthenaView');
    const [onEventFramework] = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) =>
      id.includes('frameworkonEvent'),
    );
    expect(Object.keys(resources)).toHaveLength(2);
    const byName = Object.fromEntries(
      Object.entries(resources).map(([id, r]) => [r.Properties.ViewName, { id, ...r }]),
    );
    expect(byName.messages.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [onEventFramework, 'Arn'] },
      Database: 'acme-glue-db',
      ViewName: 'messages',
      Statement: statementOf('messages'),
      SqlHash: sqlHashOf(statementOf('messages')),
      WorkGroup: { Ref: 'Workgroup' },
    });
    expect(byName.message_counts.DependsOn).toEqual([byName.messages.id]);
    expect(byName.messages.DependsOn).toBeUndefined();
    expect([messages.qualifiedName, messages.sqlHash]).toEqual([
      '"acme-glue-db"."messages"',
      sqlHashOf(statementOf('messages')),
    ]);
  });

  it('changes the hash, not the resource, when the statement is edited', () => {
    // Prepare
    const hashOf = (select: string) => {
      const stack = emptyStack();
      new AthenaView(stack, 'Messages', {
        provider: providerIn(stack),
        viewName: 'messages',
        statement: statementOf('messages', select),
      });
      const [[id, resource]] = Object.entries(Template.fromStack(stack).findResources('Custom::AthenaView'));
      return [id, resource.Properties.SqlHash];
    };

    // Act
    const [before, after] = [hashOf('SELECT 1 AS one'), hashOf('SELECT 2 AS two')];

    // Assert
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  it('rejects a name Athena refuses and a statement that creates another view', () => {
    // Prepare
    const stack = emptyStack();

    // Act
    const error = thrownBy(
      () =>
        new AthenaView(stack, 'Messages', {
          provider: providerIn(stack),
          viewName: 'Messages-View',
          statement: statementOf('other_view'),
        }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for AthenaView at Test/Messages:\n' +
        '- viewName is "Messages-View"; expected 1 to 255 lower-case letters, digits or underscores (Athena’s view names). ' +
        'Fix: pass a viewName such as "email_message_status".\n' +
        `- statement is ${JSON.stringify(`${statementOf('other_view').slice(0, 80)}…`)}; expected a statement starting ` +
        'CREATE OR REPLACE VIEW "acme-glue-db"."Messages-View" AS, at most 262144 bytes. ' +
        'Fix: pass createViewStatement(view, names) of @engagement-db/sql for this view and database.',
    );
  });
});
