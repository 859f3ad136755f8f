import type { Construct } from 'constructs';
import { EngagementDeliveryStream, type EngagementDeliveryStreamProps } from './engagement-delivery-stream';
import type { CanonicalGlueTable } from './glue-catalog';

/** The conversations stream's destination table and its buffer. */
export interface ConversationsDeliveryStreamProps extends EngagementDeliveryStreamProps {
  /** The Glue table that reads the records, whose folder they go to. */
  readonly table: CanonicalGlueTable;
  /**
   * MiB the stream buffers before it writes an object.
   * @default 64
   */
  readonly bufferSizeMiB?: number;
  /**
   * Longest wait in seconds before the stream writes what it has.
   * @default 300
   */
  readonly bufferIntervalSeconds?: number;
}

/** The conversations stream's buffer when the props leave it out. */
export const conversationsStreamDefaults = { bufferSizeMiB: 64, bufferIntervalSeconds: 300 } as const;

const hourParts = { year: '%Y', month: '%m', day: '%d', hour: '%H' } as const;

/**
 * The JQ query Firehose runs on each conversation record: the UTC hour parts of its epoch-millisecond
 * `timestamp`. Each value is parenthesised, as JQ needs for a pipe inside an object.
 */
export const conversationPartitionQuery = `{${Object.entries(hourParts)
  .map(([key, format]) => `${key}: (.timestamp/1000 | strftime("${format}"))`)
  .join(', ')}}`;

/**
 * The conversations delivery stream: chatbot conversation records put directly as JSON, written one
 * per line to `conversations/YYYY/MM/DD/HH/` by the hour of their own timestamp. A record without a
 * numeric `timestamp` fails the JQ query and goes to `errors/conversations/...`.
 *
 * @example
 * const conversations = new ConversationsDeliveryStream(stack, 'ConversationsStream', { streamName: 'engagementdb-conversations', bucket, table: catalog.conversationsTable });
 * conversations.grantPutRecords(chatbotRole);
 */
export class ConversationsDeliveryStream extends EngagementDeliveryStream {
  constructor(scope: Construct, id: string, props: ConversationsDeliveryStreamProps) {
    const { prefix } = props.table;
    super(scope, id, props, {
      prefix: `${prefix}/${Object.keys(hourParts)
        .map((key) => `!{partitionKeyFromQuery:${key}}`)
        .join('/')}/`,
      errorOutputPrefix: `errors/${prefix}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
      writablePrefixes: [`${prefix}/`, `errors/${prefix}/`],
      bufferSizeMiB: props.bufferSizeMiB ?? conversationsStreamDefaults.bufferSizeMiB,
      bufferIntervalSeconds: props.bufferIntervalSeconds ?? conversationsStreamDefaults.bufferIntervalSeconds,
      settings: () => ({
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: conversationPartitionQuery },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            {
              type: 'AppendDelimiterToRecord',
              parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }],
            },
          ],
        },
      }),
    });
  }
}
