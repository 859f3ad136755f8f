import { type TableSchema, canonicalTables } from '@engagement-db/canonical-model';
import type { ListDeliveryStreamsInput } from './firehose-requests';

/** What the endpoint says about itself in DescribeDeliveryStream: where records go and how they are buffered. */
export interface CatalogSettings {
  readonly accountId: string;
  readonly lake: string;
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  /** When the endpoint started: the streams' creation time. */
  readonly createdAt: Date;
}

// In the alphabetical order in which Firehose lists streams.
const tables: readonly TableSchema[] = Object.values(canonicalTables).sort((a, b) =>
  a.deliveryStreamName.localeCompare(b.deliveryStreamName),
);

/** The table a delivery stream of the endpoint feeds; undefined for a name that is not one of them. */
export function tableFedBy(deliveryStreamName: string): TableSchema | undefined {
  return tables.find((table) => table.deliveryStreamName === deliveryStreamName);
}

/** The ListDeliveryStreams answer: the stream names in alphabetical order, paged like Firehose pages them. */
export function listDeliveryStreams(input: ListDeliveryStreamsInput): {
  DeliveryStreamNames: string[];
  HasMoreDeliveryStreams: boolean;
} {
  const names = tables.map((table) => table.deliveryStreamName);
  // Every stream here takes records by Direct PUT, so any other type filters all of them out.
  const ofType =
    input.deliveryStreamType === undefined || input.deliveryStreamType === 'DirectPut' ? names : [];
  const start = input.exclusiveStartDeliveryStreamName;
  const after = start === undefined ? ofType : ofType.filter((name) => name > start);
  return {
    DeliveryStreamNames: after.slice(0, input.limit),
    HasMoreDeliveryStreams: after.length > input.limit,
  };
}

/**
 * The DeliveryStreamDescription of the stream that feeds a table: ACTIVE, Direct PUT, one destination
 * (the table's prefix in the local lake), with the buffering hints the endpoint runs with.
 */
export function describeDeliveryStream(
  table: TableSchema,
  region: string,
  settings: CatalogSettings,
): { DeliveryStreamDescription: Record<string, unknown> } {
  const name = table.deliveryStreamName;
  const createdAtSeconds = settings.createdAt.getTime() / 1000;
  return {
    DeliveryStreamDescription: {
      DeliveryStreamName: name,
      DeliveryStreamARN: `arn:aws:firehose:${region}:${settings.accountId}:deliverystream/${name}`,
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      CreateTimestamp: createdAtSeconds,
      LastUpdateTimestamp: createdAtSeconds,
      Destinations: [
        {
          DestinationId: 'destinationId-000000000001',
          ExtendedS3DestinationDescription: {
            BucketARN: `arn:aws:s3:::${settings.lake}`,
            Prefix: `${table.prefix}/`,
            ErrorOutputPrefix: 'errors/',
            BufferingHints: {
              SizeInMBs: settings.bufferBytes / 2 ** 20,
              IntervalInSeconds: settings.bufferIntervalMs / 1000,
            },
            CompressionFormat: 'UNCOMPRESSED',
            EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
          },
        },
      ],
      HasMoreDestinations: false,
    },
  };
}
