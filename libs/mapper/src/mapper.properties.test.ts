import fc from 'fast-check';
import { eventColumns } from '@engagement-db/canonical-model';
import { createMapper } from './mapper';

const mapper = createMapper({ accountId: '111122223333' });
const columnNames = eventColumns.map((column) => column.name).sort();

// Arbitrary text: full unicode with lone surrogates and control characters, plus strings made to
// break naive string pasting (quotes, backslashes, JSON fragments, the engine's own token shape).
const hostileText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '"',
    '\\',
    '\\"',
    '", "channel": "hacked", "x": "',
    '"}, "channel": "hacked", "tags": {"a": "',
    '</script><script>alert(1)</script>',
    '\u2028\u2029\u0000\u001f',
    '\uE0000\uE000',
    '\uE000\uE0011\uE001',
    '$!{eventType}',
    '#set($x = 1)',
    '\ud800',
    '\udc00x\ud83d',
    '🎉👩‍👩‍👧',
  ),
);
const nonEmptyHostileText = hostileText.filter((text) => text !== '');
const runs = { numRuns: 150 };

function mapOne(event: unknown) {
  const text = JSON.stringify(event);
  const result = mapper.map('events', text);
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  expect(result.value).toHaveLength(1);
  const row = result.value[0];
  expect(Object.keys(row).sort()).toEqual(columnNames);
  expect(row.rawEvent).toBe(text);
  return row;
}

function orNull(text: string): string | null {
  return text === '' ? null : text;
}

describe('createMapper().map(events) with arbitrary strings', () => {
  it('keeps every SES string exactly and lets none add or overwrite a field', () => {
    fc.assert(
      fc.property(
        fc.record({
          subject: hostileText,
          source: hostileText,
          destination: fc.array(nonEmptyHostileText, { maxLength: 3 }),
          organizationId: hostileText,
          campaign: hostileText,
          messageId: hostileText,
          tagName: nonEmptyHostileText,
        }),
        (input) => {
          const event = {
            eventType: 'Send',
            mail: {
              timestamp: '2025-03-14T15:09:26.017Z',
              source: input.source,
              sourceArn: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
              sendingAccountId: '111122223333',
              messageId: input.messageId,
              destination: input.destination,
              tags: { organizationId: [input.organizationId], campaign: [input.campaign] },
              commonHeaders: { subject: input.subject },
            },
            send: {},
          };

          const row = mapOne(event);

          expect(row).toMatchObject({
            channel: 'email',
            type: 'Send',
            status: 'Send',
            timestamp: 1741964966017,
            accountId: '111122223333',
            sendingAddress: orNull(input.source),
            messageId: orNull(input.messageId),
            organizationId: orNull(input.organizationId),
            destinationAddress: input.destination.length === 0 ? null : input.destination,
          });
          expect(row.channelData).toEqual(input.subject === '' ? null : { subject: input.subject });
          expect(row.tags).toEqual({ organizationid: input.organizationId, campaign: input.campaign });
        },
      ),
      runs,
    );
  });

  it('keeps arbitrary SES tag names, lower-cased, with their values', () => {
    fc.assert(
      fc.property(fc.dictionary(nonEmptyHostileText, hostileText, { maxKeys: 4 }), (tags) => {
        const event = {
          eventType: 'Send',
          mail: {
            timestamp: 1741964966017,
            messageId: 'm',
            destination: [],
            tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]])),
          },
        };

        const row = mapOne(event);

        const expected = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v]));
        expect(row.tags).toEqual(Object.keys(expected).length === 0 ? null : expected);
      }),
      runs,
    );
  });

  it('keeps every SMS string and context value exactly', () => {
    fc.assert(
      fc.property(
        fc.record({
          origination: hostileText,
          destination: hostileText,
          description: hostileText,
          country: hostileText,
          organizationId: hostileText,
          context: fc.dictionary(nonEmptyHostileText, hostileText, { maxKeys: 4 }),
        }),
        (input) => {
          const context = { ...input.context, organizationId: input.organizationId };
          const event = {
            eventType: 'TEXT_DELIVERED',
            eventTimestamp: 1741966205377,
            messageId: 'sms-1',
            originationPhoneNumber: input.origination,
            destinationPhoneNumber: input.destination,
            messageStatusDescription: input.description,
            isoCountryCode: input.country,
            context,
          };

          const row = mapOne(event);

          expect(row).toMatchObject({
            channel: 'text',
            status: 'TEXT_DELIVERED',
            timestamp: 1741966205377,
            sendingAddress: orNull(input.origination),
            sendingId: orNull(input.origination),
            destinationAddress: input.destination === '' ? null : [input.destination],
            statusMessage: orNull(input.description),
            isoCountryCode: orNull(input.country),
            organizationId: orNull(input.organizationId),
          });
          expect(row.tags).toEqual(
            Object.fromEntries(Object.entries(context).map(([k, v]) => [k.toLowerCase(), v])),
          );
          expect(row.channelData).toEqual(input.country === '' ? null : { isocountrycode: input.country });
        },
      ),
      runs,
    );
  });

  it('keeps WhatsApp bodies, ids and callback data exactly', () => {
    fc.assert(
      fc.property(
        fc.record({
          body: hostileText,
          messageId: hostileText,
          statusId: hostileText,
          callback: hostileText,
          from: hostileText,
        }),
        (input) => {
          const entry = {
            id: '364711246704513',
            changes: [
              {
                field: 'messages',
                value: {
                  metadata: { display_phone_number: '15550783881' },
                  messages: [
                    { from: input.from, id: input.messageId, type: 'text', text: { body: input.body } },
                  ],
                  statuses: [
                    {
                      id: input.statusId,
                      status: 'read',
                      recipient_id: '16505551234',
                      biz_opaque_callback_data: input.callback,
                    },
                  ],
                },
              },
            ],
          };
          const event = {
            whatsAppWebhookEntry: JSON.stringify(entry),
            aws_account_id: '1',
            message_timestamp: '2025-03-14T17:05:40.118236570Z',
          };

          const result = mapper.map('events', JSON.stringify(event));

          if (!result.ok) throw new Error(result.error.message);
          const [message, status] = result.value;
          expect(result.value).toHaveLength(2);
          expect(JSON.parse(message.rawStatus ?? 'null')).toEqual(entry.changes[0].value.messages[0]);
          const digits = [...input.from].filter((char) => char >= '0' && char <= '9').join('');
          expect(message).toMatchObject({
            type: 'message',
            status: 'text',
            messageId: orNull(input.messageId),
            destinationAddress: digits === '' ? null : [`+${digits}`],
            timestamp: 1741971940118,
          });
          expect(status).toMatchObject({
            type: 'messageStatus',
            status: 'read',
            messageId: orNull(input.statusId),
            destinationAddress: ['+16505551234'],
          });
          expect(status.channelData).toEqual(
            input.callback === '' ? null : { biz_opaque_callback_data: input.callback },
          );
        },
      ),
      runs,
    );
  });

  it.each([
    ['fc.string()', fc.string()],
    ['fc.string({ unit: "binary" })', fc.string({ unit: 'binary' })],
    ['fc.json()', fc.json()],
    ['fc.anything() serialised', fc.anything().map((value) => safeStringify(value))],
    [
      'SES-shaped objects',
      fc.record({ eventType: fc.anything(), mail: fc.anything() }).map((value) => safeStringify(value)),
    ],
    [
      'SMS-shaped objects',
      fc
        .record({
          eventType: fc.constant('TEXT_X'),
          messageId: fc.string(),
          eventTimestamp: fc.anything(),
          context: fc.anything(),
        })
        .map((value) => safeStringify(value)),
    ],
    [
      'WhatsApp-shaped objects',
      fc
        .record({ whatsAppWebhookEntry: fc.oneof(fc.json(), fc.anything()) })
        .map((value) => safeStringify(value)),
    ],
  ])('never throws on %s', (_what, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        const events = mapper.map('events', text);
        const conversation = mapper.map('conversations', text);

        expect(typeof events.ok).toBe('boolean');
        expect(typeof conversation.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('createMapper().map(conversations) with arbitrary strings', () => {
  it('keeps the message and every string field exactly', () => {
    fc.assert(
      fc.property(
        fc.record({
          message: hostileText,
          sessionId: hostileText,
          tagValue: hostileText,
          sendingAddress: hostileText,
        }),
        (input) => {
          const record = {
            channel: 'whatsapp',
            direction: 'inbound',
            timestamp: 1731523485968,
            message: input.message,
            sessionId: input.sessionId,
            sendingAddress: input.sendingAddress,
            tags: { environment: input.tagValue },
          };

          const result = mapper.map('conversations', JSON.stringify(record));

          expect(result).toEqual({
            ok: true,
            value: [
              expect.objectContaining({
                ...record,
                tags: { environment: input.tagValue },
              }),
            ],
          });
        },
      ),
      runs,
    );
  });
});

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(value);
  }
}
