import { Envelope, unwrapEnvelope } from './envelope';

const sesDelivery = {
  eventType: 'Delivery',
  mail: {
    timestamp: '2025-03-14T15:45:06.311Z',
    source: 'Example Store <news@example.com>',
    sendingAccountId: '111122223333',
    messageId: '0100019594d7e8f9-4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a-000000',
    destination: ['omar.haddad@example.com'],
  },
  delivery: { timestamp: '2025-03-14T15:45:07.650Z', recipients: ['omar.haddad@example.com'] },
};
const smsDelivered = {
  eventType: 'TEXT_DELIVERED',
  eventTimestamp: 1741969121377,
  messageId: 'ed23196c-75ce-4727-93ee-7bf72b64998f',
  messageStatus: 'DELIVERED',
};

function snsOf(message: string, marked = true): Record<string, unknown> {
  return {
    ...(marked ? { Type: 'Notification' } : {}),
    MessageId: 'a8b6f0d2-4c1e-5f3a-9b7d-2e6c8a0f4b1d',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:engagement-events',
    Message: message,
    Timestamp: '2025-03-14T20:05:33.901Z',
  };
}

function eventBridgeOf(source: string, detailType: string, detail: unknown): Record<string, unknown> {
  return {
    version: '0',
    id: 'e1f2a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b',
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2025-03-14T15:45:08Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** The reason this runtime's JSON parser gives for `text`, which differs between Node versions. */
function reasonJsonParseGives(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to be JSON`);
}

/** Parses `text` as the callers do, then unwraps it. */
function unwrapText(text: string): ReturnType<typeof unwrapEnvelope> {
  return unwrapEnvelope(JSON.parse(text), text);
}

describe('unwrapEnvelope', () => {
  const sesText = JSON.stringify(sesDelivery);
  const smsText = JSON.stringify(smsDelivered);

  it.each([
    ['no envelope', sesDelivery, Envelope.none, sesDelivery],
    ['an SNS notification', snsOf(sesText), Envelope.sns, sesDelivery],
    [
      'an SNS body without the Type marker whose Message holds JSON',
      snsOf(smsText, false),
      Envelope.sns,
      smsDelivered,
    ],
    [
      'an SES event on EventBridge',
      eventBridgeOf('aws.ses', 'Email Delivered', sesDelivery),
      Envelope.eventBridge,
      sesDelivery,
    ],
    [
      'an SMS event on EventBridge',
      eventBridgeOf('aws.sms-voice', 'Text Message Delivery Status Updated', smsDelivered),
      Envelope.eventBridge,
      smsDelivered,
    ],
    [
      'EventBridge inside SNS',
      snsOf(JSON.stringify(eventBridgeOf('aws.ses', 'Email Delivered', sesDelivery))),
      Envelope.sns,
      sesDelivery,
    ],
    ['SNS inside SNS', snsOf(JSON.stringify(snsOf(smsText))), Envelope.sns, smsDelivered],
  ])('returns the inner event and the outer envelope for %s', (_case, record, envelope, event) => {
    // prepare
    const text = JSON.stringify(record);

    // act
    const result = unwrapText(text);

    // assert
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ envelope, event }) });
  });

  it('returns the record text itself as rawEventText when there is no envelope', () => {
    const text = `  ${JSON.stringify(smsDelivered, null, 2)}\n`;

    const result = unwrapText(text);

    expect(result.ok && result.value.rawEventText).toBe(text);
  });

  it('returns the Message string verbatim as rawEventText for SNS', () => {
    const message = JSON.stringify(sesDelivery, null, 1);

    const result = unwrapText(JSON.stringify(snsOf(message)));

    expect(result.ok && result.value.rawEventText).toBe(message);
  });

  it('returns the detail as JSON text as rawEventText for EventBridge, also inside SNS', () => {
    const bridged = eventBridgeOf('aws.sms-voice', 'Text Message Delivery Status Updated', smsDelivered);

    const direct = unwrapText(JSON.stringify(bridged));
    const throughSns = unwrapText(JSON.stringify(snsOf(JSON.stringify(bridged, null, 2))));

    expect(direct.ok && direct.value.rawEventText).toBe(JSON.stringify(smsDelivered));
    expect(throughSns.ok && throughSns.value.rawEventText).toBe(JSON.stringify(smsDelivered));
  });

  it.each([
    ['a plain-text Message without the Type marker', { Message: 'Order shipped', orderId: 'ORD-1' }],
    ['a Message holding a JSON array without the Type marker', { Message: '[1,2]' }],
    [
      'a source without detail-type (a conversation record)',
      { source: 'bedrockkb', message: 'Hello', timestamp: 1 },
    ],
    ['detail-type without detail', { source: 'aws.ses', 'detail-type': 'Email Delivered' }],
  ])('leaves %s as the event itself', (_case, record) => {
    const text = JSON.stringify(record);

    const result = unwrapText(text);

    expect(result).toEqual({
      ok: true,
      value: { envelope: Envelope.none, event: record, rawEventText: text },
    });
  });

  it.each([
    ['an array', [sesDelivery], '$', 'raw record at $: expected a JSON object, got an array'],
    ['null', null, '$', 'raw record at $: expected a JSON object, got null'],
    ['a number', 42, '$', 'raw record at $: expected a JSON object, got a number'],
    ['a string', 'TEXT_DELIVERED', '$', 'raw record at $: expected a JSON object, got a string'],
    [
      'an SNS notification without Message',
      { Type: 'Notification', TopicArn: 'arn:aws:sns:us-east-1:111122223333:t' },
      '$.Message',
      'SNS notification at $.Message: expected the message as a JSON string, got undefined',
    ],
    [
      'an SNS notification whose Message is an object',
      { Type: 'Notification', Message: sesDelivery },
      '$.Message',
      'SNS notification at $.Message: expected the message as a JSON string, got an object',
    ],
    [
      'an SNS notification whose Message holds a JSON array',
      snsOf('[{"eventType":"Send"}]'),
      '$.Message',
      'SNS notification at $.Message: expected a JSON object, got an array',
    ],
    [
      'an EventBridge event whose detail is a string',
      eventBridgeOf('aws.ses', 'Email Delivered', sesText),
      '$.detail',
      'EventBridge event at $.detail: expected the detail as an object, got a string',
    ],
    [
      'an EventBridge event inside SNS whose detail is null',
      snsOf(JSON.stringify(eventBridgeOf('aws.ses', 'Email Delivered', null))),
      '$.Message.detail',
      'EventBridge event at $.Message.detail: expected the detail as an object, got null',
    ],
  ])('fails with invalid-envelope for %s', (_case, record, path, message) => {
    const result = unwrapText(JSON.stringify(record));

    expect(result).toEqual({ ok: false, error: { kind: 'invalid-envelope', path, message } });
  });

  it('fails with the parser reason and a shortened excerpt when an SNS Message is not JSON', () => {
    const text = 'Bounce: full.inbox@example.net (550 5.2.2 Mailbox full) for message 0100019595d0c1b2';
    const record = snsOf(text);
    const parserReason = reasonJsonParseGives(text);

    const result = unwrapText(JSON.stringify(record));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('invalid-envelope');
    expect(result.error.path).toBe('$.Message');
    expect(result.error.message).toBe(
      'SNS notification at $.Message: expected a JSON object, got text that is not JSON ' +
        `(${parserReason}): "${text.slice(0, 60)}…"`,
    );
  });
});
