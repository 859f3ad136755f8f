import { Aws, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { checkProps } from '@engagement-db/cdk-kit';
import { type CanonicalTable, canonicalTables } from '../config/canonical-tables';

/** The names and bucket of the catalog. */
export interface GlueCatalogProps {
  /** The Glue database's name: lower-case letters, digits, hyphens and underscores. */
  readonly databaseName: string;
  /** The events table's name. */
  readonly eventsTableName: string;
  /** The conversations table's name. */
  readonly conversationsTableName: string;
  /** The bucket the two tables read (`events/`, `conversations/`). */
  readonly bucket: s3.IBucket;
  /**
   * First hour partition projection generates, `yyyy/MM/dd/HH`; Athena reads no hour before it.
   * @default '2024/01/01/00'
   */
  readonly firstPartitionHour?: string;
}

/**
 * The Glue database and the two tables Athena queries, their columns derived from the canonical
 * model. Partitions are not registered: partition projection computes them from `ingest_timestamp`.
 *
 * @example const catalog = new GlueCatalog(stack, 'Catalog', { databaseName, eventsTableName, conversationsTableName, bucket });
 */
export class GlueCatalog extends Construct {
  readonly databaseName: string;
  readonly databaseArn: string;
  /** The Glue Data Catalog of the account and region. */
  readonly catalogArn: string;
  readonly eventsTable: CanonicalGlueTable;
  readonly conversationsTable: CanonicalGlueTable;

  constructor(scope: Construct, id: string, props: GlueCatalogProps) {
    super(scope, id);
    const firstPartitionHour = props.firstPartitionHour ?? '2024/01/01/00';
    checkProps(this, [
      glueNameRule('databaseName', props.databaseName),
      glueNameRule('eventsTableName', props.eventsTableName),
      glueNameRule('conversationsTableName', props.conversationsTableName),
      {
        prop: 'firstPartitionHour',
        value: firstPartitionHour,
        valid: /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/([01]\d|2[0-3])$/.test(firstPartitionHour),
        expected: 'an hour written yyyy/MM/dd/HH, e.g. 2024/01/01/00',
        fix: 'pass the first hour the lake can hold, e.g. firstPartitionHour: "2024/01/01/00"',
      },
    ]);
    const stack = Stack.of(this);
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: props.databaseName,
        description: 'engagement-db: canonical engagement events and chatbot conversations.',
      },
    });
    this.databaseName = props.databaseName;
    this.catalogArn = stack.formatArn({ service: 'glue', resource: 'catalog' });
    this.databaseArn = stack.formatArn({
      service: 'glue',
      resource: 'database',
      resourceName: props.databaseName,
    });
    const tableProps = { catalog: this, bucket: props.bucket, firstPartitionHour };
    this.eventsTable = new CanonicalGlueTable(this, 'EventsTable', {
      ...tableProps,
      tableName: props.eventsTableName,
      table: canonicalTables.events,
      format: 'parquet',
    });
    this.conversationsTable = new CanonicalGlueTable(this, 'ConversationsTable', {
      ...tableProps,
      tableName: props.conversationsTableName,
      table: canonicalTables.conversations,
      format: 'json',
    });
    for (const table of [this.eventsTable, this.conversationsTable]) table.node.addDependency(database);
  }
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

/** One canonical table in a Glue database. */
export interface CanonicalGlueTableProps {
  /** The catalog and database the table is created in. */
  readonly catalog: GlueCatalog;
  /** The table's name in Glue. */
  readonly tableName: string;
  /** The canonical table: its columns, its S3 prefix and its partition column. */
  readonly table: CanonicalTable;
  /** How the objects are stored: Parquet or newline-delimited JSON. */
  readonly format: keyof typeof storageFormats;
  /** The bucket holding `<table prefix>/YYYY/MM/DD/HH/`. */
  readonly bucket: s3.IBucket;
  /** First hour partition projection generates, `yyyy/MM/dd/HH`. */
  readonly firstPartitionHour: string;
}

/**
 * A Glue table over one canonical table's hourly folders, with partition projection on its
 * `ingest_timestamp` column (typed timestamp, so a date filter prunes hours). Offers
 * `grantReadSchema` for Firehose's Parquet conversion.
 *
 * @example catalog.eventsTable.grantReadSchema(deliveryRole);
 */
export class CanonicalGlueTable extends Construct {
  readonly databaseName: string;
  readonly tableName: string;
  readonly tableArn: string;
  /** First folder of the table's objects in the bucket (`events`), without a slash. */
  readonly prefix: string;
  private readonly catalog: GlueCatalog;

  constructor(scope: Construct, id: string, props: CanonicalGlueTableProps) {
    super(scope, id);
    this.databaseName = props.catalog.databaseName;
    this.tableName = props.tableName;
    this.prefix = props.table.prefix;
    this.catalog = props.catalog;
    this.tableArn = Stack.of(this).formatArn({
      service: 'glue',
      resource: 'table',
      resourceName: `${props.catalog.databaseName}/${props.tableName}`,
    });
    const { classification, ...storage } = storageFormats[props.format];
    const { prefix, partitionColumn } = props.table;
    const location = `s3://${props.bucket.bucketName}/${prefix}/`;
    // Default keeps the logical id the table had before it was a construct of its own.
    new glue.CfnTable(this, 'Default', {
      catalogId: Aws.ACCOUNT_ID,
      databaseName: props.catalog.databaseName,
      tableInput: {
        name: props.tableName,
        description: `engagement-db ${prefix}, one folder per UTC hour: ${prefix}/YYYY/MM/DD/HH/.`,
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [
          {
            name: partitionColumn,
            // A timestamp, not a string: `ingest_timestamp >= DATE_ADD('day', -7, CURRENT_TIMESTAMP)` then prunes.
            type: 'timestamp',
            comment: 'The UTC hour of the event, from the S3 folder.',
          },
        ],
        parameters: {
          classification,
          EXTERNAL: 'TRUE',
          'projection.enabled': 'true',
          [`projection.${partitionColumn}.type`]: 'date',
          [`projection.${partitionColumn}.format`]: 'yyyy/MM/dd/HH',
          [`projection.${partitionColumn}.range`]: `${props.firstPartitionHour},NOW`,
          [`projection.${partitionColumn}.interval`]: '1',
          [`projection.${partitionColumn}.interval.unit`]: 'HOURS',
          'storage.location.template': `${location}\${${partitionColumn}}/`,
        },
        storageDescriptor: {
          columns: props.table.columns.map(({ name, type, comment }) => ({ name, type, comment })),
          location,
          ...storage,
          compressed: false,
          storedAsSubDirectories: false,
        },
      },
    });
  }

  /**
   * Lets a principal read the table's schema (the catalog, the database and the table), as
   * Firehose's format conversion does.
   */
  grantReadSchema(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
      resourceArns: [this.catalog.catalogArn, this.catalog.databaseArn, this.tableArn],
    });
  }
}

function glueNameRule(prop: string, value: string) {
  return {
    prop,
    value,
    valid: /^[a-z0-9_-]{1,255}$/.test(value),
    expected: '1 to 255 lower-case letters, digits, hyphens or underscores (Glue stores names in lower case)',
    fix: `pass a lower-case ${prop}`,
  };
}
