import { TableName, canonicalTables } from '@engagement-db/canonical-model';

/**
 * The table a delivery stream feeds, from its ARN: conversations when the stream's name is
 * `engagementdb-conversations` or contains "conversations" (a stack may prefix the names), events
 * otherwise.
 *
 * @example tableOfDeliveryStream('arn:aws:firehose:us-east-1:123456789012:deliverystream/engagementdb-conversations') // 'conversations'
 */
export function tableOfDeliveryStream(deliveryStreamArn: string | undefined): TableName {
  const name = (deliveryStreamArn ?? '').slice((deliveryStreamArn ?? '').lastIndexOf('/') + 1).toLowerCase();
  return name === canonicalTables.conversations.deliveryStreamName || name.includes(TableName.conversations)
    ? TableName.conversations
    : TableName.events;
}
