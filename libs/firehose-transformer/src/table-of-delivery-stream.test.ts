import { tableOfDeliveryStream } from './table-of-delivery-stream';

describe('tableOfDeliveryStream', () => {
  it.each([
    ['arn:aws:firehose:us-east-1:123456789012:deliverystream/engagementdb-conversations', 'conversations'],
    [
      'arn:aws:firehose:eu-west-1:123456789012:deliverystream/Stack-EngagementConversations-1AB2',
      'conversations',
    ],
    ['arn:aws:firehose:us-east-1:123456789012:deliverystream/engagementdb-events', 'events'],
    ['arn:aws:firehose:us-east-1:123456789012:deliverystream/anything-else', 'events'],
    ['', 'events'],
    [undefined, 'events'],
  ])('maps %p to the %s table', (arn, expected) => {
    expect(tableOfDeliveryStream(arn)).toBe(expected);
  });
});
