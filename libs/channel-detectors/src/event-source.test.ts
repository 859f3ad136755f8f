import { EventSource, detectSource } from './event-source';

const mail = {
  timestamp: '2025-03-14T15:09:26.017Z',
  source: 'Example Store <news@example.com>',
  sendingAccountId: '111122223333',
  messageId: '0100019594a7c1e2-5b8f0f43-6c1d-4d0e-9a51-2f3c8e7d1a90-000000',
  destination: ['jane.doe@example.net'],
};
const endUserMessaging = (eventType: string) => ({
  eventType,
  eventVersion: '1.0',
  eventTimestamp: 1741966205377,
  originationPhoneNumber: '+12065550152',
  destinationPhoneNumber: '+14255550156',
  messageId: '3f8a2b61-9c4d-4e7f-a1b2-7c6d5e4f3a21',
});

describe('detectSource', () => {
  it.each([
    ['an SES Send event', { eventType: 'Send', mail, send: {} }, EventSource.sesEvent],
    [
      'an SES Rendering Failure event',
      { eventType: 'Rendering Failure', mail, failure: {} },
      EventSource.sesEvent,
    ],
    [
      'an SES Subscription event',
      { eventType: 'Subscription', mail, subscription: {} },
      EventSource.sesEvent,
    ],
    [
      'an SES bounce notification',
      { notificationType: 'Bounce', mail, bounce: {} },
      EventSource.sesNotification,
    ],
    ['an SES delivery notification', { notificationType: 'Delivery', mail }, EventSource.sesNotification],
    ['an SMS event', endUserMessaging('TEXT_DELIVERED'), EventSource.endUserMessaging],
    ['an SMS blocked event', endUserMessaging('TEXT_BLOCKED'), EventSource.endUserMessaging],
    ['an MMS event', endUserMessaging('MEDIA_SUCCESSFUL'), EventSource.endUserMessaging],
    ['a voice event', endUserMessaging('VOICE_COMPLETED'), EventSource.endUserMessaging],
    [
      'a WhatsApp event with the entry as text',
      { whatsAppWebhookEntry: '{"id":"1","changes":[]}' },
      EventSource.whatsapp,
    ],
    [
      'a WhatsApp event with the entry as an object',
      { whatsAppWebhookEntry: { id: '1', changes: [] } },
      EventSource.whatsapp,
    ],
    ['a WhatsApp event whose entry is not JSON', { whatsAppWebhookEntry: '{"id":' }, EventSource.whatsapp],
  ])('returns the source of %s', (_case, event, source) => {
    expect(detectSource(event)).toBe(source);
  });

  it.each([
    ['an empty object', {}],
    ['an order update', { orderId: 'ORD-20931', status: 'shipped' }],
    [
      'a conversation record',
      { source: 'bedrockkb', channel: 'whatsapp', message: 'Hello', timestamp: 1731523485968 },
    ],
    ['an SES eventType without mail', { eventType: 'Delivery', delivery: {} }],
    ['an SES event whose mail is text', { eventType: 'Delivery', mail: 'jane.doe@example.net' }],
    ['an SES event whose mail is an array', { eventType: 'Send', mail: [mail] }],
    ['mail without eventType or notificationType', { mail }],
    ['an SMS eventType without messageId', { eventType: 'TEXT_DELIVERED', eventTimestamp: 1741966205377 }],
    ['an SMS event whose messageId is a number', { ...endUserMessaging('TEXT_DELIVERED'), messageId: 42 }],
    ['an eventType of another prefix', endUserMessaging('SMS_DELIVERED')],
    ['a lower-case End User Messaging eventType', endUserMessaging('text_delivered')],
    ['a WhatsApp entry that is a number', { whatsAppWebhookEntry: 7 }],
    ['a WhatsApp entry that is null', { whatsAppWebhookEntry: null }],
  ])('returns unknown for %s', (_case, event) => {
    expect(detectSource(event)).toBe(EventSource.unknown);
  });
});
