import { DeliveryStream } from '@engagement-db/canonical-model';
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

const streamNames: readonly DeliveryStream[] = [DeliveryStream.conversations, DeliveryStream.events];

/**
 * Whether a name is one of the endpoint's delivery streams.
 *
 * @example isDeliveryStream('engagementdb-events') // true
 */
export function isDeliveryStream(name: string): name is DeliveryStream {
  return (streamNames as readonly string[]).includes(name);
}

/**
 * The ListDeliveryStreams answer: the stream names in alphabetical order, paged like Firehose pages them.
 *
 * @example listDeliveryStreams({ limit: 10 }) // { DeliveryStreamNames: ['engagementdb-conversations', 'engagementdb-events'], HasMoreDeliveryStreams: false }
 */
export function listDeliveryStreams(input: ListDeliveryStreamsInput): {
  DeliveryStreamNames: string[];
  HasMoreDeliveryStreams: boolean;
} {
  // Every stream here takes records by Direct PUT, so any other type filters all of them out.
  const ofType =
    input.deliveryStreamType === undefined || input.deliveryStreamType === 'DirectPut' ? streamNames : [];
  const start = input.exclusiveStartDeliveryStreamName;
  const after = start === undefined ? ofType : ofType.filter((name) => name > start);
  return {
    DeliveryStreamNames: after.slice(0, input.limit),
    HasMoreDeliveryStreams: after.length > input.limit,
  };
}

/**
 * The DeliveryStreamDescription of a stream: ACTIVE, Direct PUT, one destination (the local lake's prefix for
 * the stream), with the buffering hints the endpoint runs with.
 *
 * @example describeDeliveryStream('engagementdb-events', 'us-east-1', settings).DeliveryStreamDescription.DeliveryStreamStatus // 'ACTIVE'
 */
export function describeDeliveryStream(
  name: DeliveryStream,
  region: string,
  settings: CatalogSettings,
): { DeliveryStreamDescription: Record<string, unknown> } {
  const prefix = name === DeliveryStream.events ? 'events/' : 'conversations/';
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
            Prefix: prefix,
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
