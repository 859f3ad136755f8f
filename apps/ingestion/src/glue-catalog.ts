import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type TableSchema,
  conversationTable,
  eventTable,
  glueColumnsOf,
} from '@engagement-db/canonical-model';

/** The names and bucket of the catalog. */
export interface GlueCatalogProps {
  readonly databaseName: string;
  readonly eventsTableName: string;
  readonly conversationsTableName: string;
  readonly bucket: s3.IBucket;
  /** First hour partition projection generates, `yyyy/MM/dd/HH`. */
  readonly firstPartitionHour?: string;
}

/**
 * The storage format of a table: Parquet for events (Firehose converts them), newline-delimited
 * JSON for conversations (Firehose writes them as received).
 */
const storageFormats = {
  parquet: {
    classification: 'parquet',
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
  },
  json: {
    classification: 'json',
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    serdeInfo: {
      serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      parameters: { 'case.insensitive': 'true', 'ignore.malformed.json': 'true' },
    },
  },
} as const;

/**
 * The Glue database and the two tables Athena queries, their columns derived from the canonical
 * model. Partitions are not registered: partition projection computes them from `ingest_timestamp`.
 *
 * @example new GlueCatalog(stack, 'Catalog', { databaseName, eventsTableName, conversationsTableName, bucket });
 */
export class GlueCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly eventsTable: glue.CfnTable;
  readonly conversationsTable: glue.CfnTable;
  readonly databaseName: string;
  readonly eventsTableName: string;
  readonly conversationsTableName: string;
  readonly catalogArn: string;
  readonly databaseArn: string;
  readonly eventsTableArn: string;
  readonly conversationsTableArn: string;

  constructor(scope: Construct, id: string, props: GlueCatalogProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.databaseName = props.databaseName;
    this.eventsTableName = props.eventsTableName;
    this.conversationsTableName = props.conversationsTableName;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.databaseName,
        description: 'engagement-db: canonical engagement events and chatbot conversations.',
      },
    });
    const firstHour = props.firstPartitionHour ?? '2024/01/01/00';
    this.eventsTable = this.table(
      'EventsTable',
      props,
      props.eventsTableName,
      eventTable,
      'parquet',
      firstHour,
    );
    this.conversationsTable = this.table(
      'ConversationsTable',
      props,
      props.conversationsTableName,
      conversationTable,
      'json',
      firstHour,
    );
    const arn = (resource: string, resourceName?: string) =>
      stack.formatArn({ service: 'glue', resource, resourceName });
    this.catalogArn = arn('catalog');
    this.databaseArn = arn('database', props.databaseName);
    this.eventsTableArn = arn('table', `${props.databaseName}/${props.eventsTableName}`);
    this.conversationsTableArn = arn('table', `${props.databaseName}/${props.conversationsTableName}`);
  }

  private table(
    id: string,
    props: GlueCatalogProps,
    name: string,
    schema: TableSchema,
    format: keyof typeof storageFormats,
    firstHour: string,
  ): glue.CfnTable {
    const { classification, ...storage } = storageFormats[format];
    const location = `s3://${props.bucket.bucketName}/${schema.prefix}/`;
    const table = new glue.CfnTable(this, id, {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.databaseName,
      tableInput: {
        name,
        description: `engagement-db ${schema.prefix}, one folder per UTC hour: ${schema.prefix}/YYYY/MM/DD/HH/.`,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          {
            name: schema.partitionColumn,
            // A timestamp, not a string: `ingest_timestamp >= DATE_ADD('day', -7, CURRENT_TIMESTAMP)` then prunes.
            type: 'timestamp',
            comment: 'The UTC hour of the event, from the S3 folder.',
          },
        ],
        parameters: {
          classification,
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          [`projection.${schema.partitionColumn}.type`]: 'date',
          [`projection.${schema.partitionColumn}.format`]: 'yyyy/MM/dd/HH',
          [`projection.${schema.partitionColumn}.range`]: `${firstHour},NOW`,
          [`projection.${schema.partitionColumn}.interval`]: '1',
          [`projection.${schema.partitionColumn}.interval.unit`]: 'HOURS',
          'storage.location.template': `${location}\${${schema.partitionColumn}}/`,
        },
        storageDescriptor: {
          columns: glueColumnsOf(schema).map(({ name: columnName, type, comment }) => ({
            name: columnName,
            type,
            comment,
          })),
          location,
          ...storage,
          compressed: false,
          storedAsSubDirectories: false,
        },
      },
    });
    table.node.addDependency(this.database);
    return table;
  }
}
