import { Template } from 'aws-cdk-lib/assertions';
import { emptyStack, removeTestOutdirs, thrownBy, workgroupIn } from '../../test/test-stack';
import { SavedQueries } from './saved-queries';

afterAll(() => {
  removeTestOutdirs();
});

describe('SavedQueries', () => {
  it('saves each query in the workgroup and database, under an id made from its name', () => {
    // Prepare
    const stack = emptyStack();
    const workgroup = workgroupIn(stack);

    // Act
    const saved = new SavedQueries(stack, 'Saved', {
      workgroup,
      databaseName: 'acme-glue-db',
      queries: [
        {
          name: 'Count by message channel',
          description: 'Events per channel.',
          sql: 'SELECT channel, count(*) FROM t GROUP BY 1',
        },
        { name: 'email_message_status: last status', description: 'One row per email.', sql: 'SELECT 1' },
      ],
    });

    // Assert
    const queries = Template.fromStack(stack).findResources('AWS::Athena::NamedQuery');
    expect(Object.keys(queries).map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'SavedCountByMessageChannel',
      'SavedEmailMessageStatusLastStatus',
    ]);
    expect(Object.values(queries)[0].Properties).toEqual({
      Name: 'Count by message channel',
      Description: 'Events per channel.',
      Database: 'acme-glue-db',
      QueryString: 'SELECT channel, count(*) FROM t GROUP BY 1',
      WorkGroup: { Ref: 'Workgroup' },
    });
    expect(saved.names).toEqual(['Count by message channel', 'email_message_status: last status']);
  });

  it('rejects a name used twice, a description Athena cuts and a query without SQL', () => {
    // Prepare
    const stack = emptyStack();
    const workgroup = workgroupIn(stack);

    // Act
    const error = thrownBy(
      () =>
        new SavedQueries(stack, 'Saved', {
          workgroup,
          databaseName: 'acme-glue-db',
          queries: [
            { name: 'Twice', description: 'x'.repeat(1025), sql: 'SELECT 1' },
            { name: 'Twice', description: '', sql: '  ' },
          ],
        }),
    );

    // Assert
    expect(error.message).toBe(
      'Invalid props for SavedQueries at Test/Saved:\n' +
        '- queries[].name is ["Twice"]; expected names of 1 to 128 characters, each used once. Fix: give each saved query a short name of its own.\n' +
        '- queries[].description length is {"Twice":1025}; expected at most 1024 characters. Fix: shorten the descriptions of these queries.\n' +
        '- queries[].sql bytes is {"Twice":0}; expected 1 to 262144 bytes, not only blanks. Fix: give these queries their SQL.',
    );
  });
});
