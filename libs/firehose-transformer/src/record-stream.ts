import { DeliveryStream } from '@engagement-db/canonical-model';

/** Which canonical table a delivery stream feeds, and so which mapping its records get. */
export const RecordStream = {
  events: 'events',
  conversations: 'conversations',
} as const;
export type RecordStream = (typeof RecordStream)[keyof typeof RecordStream];

/**
 * The stream a delivery stream ARN feeds: conversations when its name contains "conversations"
 * (as `engagementdb-conversations` does), events otherwise.
 *
 * @example recordStreamOf('arn:aws:firehose:us-east-1:123456789012:deliverystream/engagementdb-conversations') // 'conversations'
 */
export function recordStreamOf(deliveryStreamArn: string | undefined): RecordStream {
  const name = (deliveryStreamArn ?? '').slice((deliveryStreamArn ?? '').lastIndexOf('/') + 1).toLowerCase();
  return name === DeliveryStream.conversations || name.includes(RecordStream.conversations)
    ? RecordStream.conversations
    : RecordStream.events;
}
