import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { emptyStack, removeTestOutdirs, thrownBy } from '../../test/test-stack';
import { canonicalTables } from '../config/canonical-tables';
import { GlueCatalog } from './glue-catalog';

afterAll(() => {
  removeTestOutdirs();
});

function catalogIn(stack: Stack, props: Partial<ConstructorParameters<typeof GlueCatalog>[2]> = {}) {
  return new GlueCatalog(stack, 'Catalog', {
    databaseName: 'acme-glue-db',
    eventsTableName: 'acme-events-table',
    conversationsTableName: 'acme-conversations-table',
    bucket: new s3.Bucket(stack, 'Bucket'),
    ...props,
  });
}

function tableNamed(template: Template, name: string): Record<string, unknown> {
  const tables = Object.values(
    template.findResources('AWS::Glue::Table', {
      Properties: { TableInput: Match.objectLike({ Name: name }) },
    }),
  );
  expect(tables).toHaveLength(1);
  return tables[0] as Record<string, unknown>;
}

describe('GlueCatalog', () => {
  it('creates the database and both tables in it, after it', () => {
    // Prepare
    const stack = emptyStack();
    catalogIn(stack);

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const [databaseId] = Object.keys(template.findResources('AWS::Glue::Database'));
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: Match.objectLike({ Name: 'acme-glue-db' }),
    });
    for (const name of ['acme-events-table', 'acme-conversations-table']) {
      expect(tableNamed(template, name)).toMatchObject({
        DependsOn: [databaseId],
        Properties: { DatabaseName: 'acme-glue-db' },
      });
    }
  });

  it.each([
    [
      'acme-events-table',
      canonicalTables.events,
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    ],
    ['acme-conversations-table', canonicalTables.conversations, 'org.openx.data.jsonserde.JsonSerDe'],
  ])('derives the columns of %s from the canonical model', (name, table, serde) => {
    // Prepare
    const stack = emptyStack();
    catalogIn(stack);

    // Act
    const input = (
      tableNamed(Template.fromStack(stack), name).Properties as { TableInput: Record<string, unknown> }
    ).TableInput as { StorageDescriptor: Record<string, unknown>; PartitionKeys: unknown };

    // Assert
    expect(input.StorageDescriptor.Columns).toEqual(
      table.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    );
    expect(input.StorageDescriptor.SerdeInfo).toMatchObject({ SerializationLibrary: serde });
    expect(input.PartitionKeys).toEqual([
      { Name: 'ingest_timestamp', Type: 'timestamp', Comment: expect.any(String) },
    ]);
  });

  it.each(['events', 'conversations'] as const)(
    'projects the hourly ingest_timestamp partitions of the %s folder from the first partition hour',
    (key) => {
      // Prepare
      const stack = emptyStack();
      catalogIn(stack, { firstPartitionHour: '2025/06/01/00' });

      // Act
      const input = (
        tableNamed(Template.fromStack(stack), `acme-${key}-table`).Properties as {
          TableInput: { Parameters: Record<string, unknown> };
        }
      ).TableInput;

      // Assert
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.ingest_timestamp.type': 'date',
        'projection.ingest_timestamp.format': 'yyyy/MM/dd/HH',
        'projection.ingest_timestamp.range': '2025/06/01/00,NOW',
        'projection.ingest_timestamp.interval': '1',
        'projection.ingest_timestamp.interval.unit': 'HOURS',
      });
      expect(JSON.stringify(input.Parameters['storage.location.template'])).toMatch(
        new RegExp(`/${canonicalTables[key].prefix}/\\$\\{ingest_timestamp\\}/"\\]\\]\\}$`),
      );
    },
  );

  it('lets a principal read one table schema: the catalog, the database and that table only', () => {
    // Prepare
    const stack = emptyStack();
    const catalog = catalogIn(stack);
    const role = new iam.Role(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
    });

    // Act
    catalog.eventsTable.grantReadSchema(role);

    // Assert
    const arn = (resource: string) => ({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':glue:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          resource,
        ],
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
            Resource: [
              arn(':catalog'),
              arn(':database/acme-glue-db'),
              arn(':table/acme-glue-db/acme-events-table'),
            ],
          },
        ],
      },
    });
  });

  it('rejects names Glue would lower-case and an hour it cannot project', () => {
    // Act
    const error = thrownBy(() =>
      catalogIn(emptyStack(), { eventsTableName: 'Events', firstPartitionHour: '2024-01-01' }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for GlueCatalog at Test/Catalog:\n' +
        '- eventsTableName is "Events"; expected 1 to 255 lower-case letters, digits, hyphens or underscores ' +
        '(Glue stores names in lower case). Fix: pass a lower-case eventsTableName.\n' +
        '- firstPartitionHour is "2024-01-01"; expected an hour written yyyy/MM/dd/HH, e.g. 2024/01/01/00. ' +
        'Fix: pass the first hour the lake can hold, e.g. firstPartitionHour: "2024/01/01/00".',
    );
  });
});
