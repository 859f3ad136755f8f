import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { eventColumns } from '@engagement-db/canonical-model';
import { hostileText } from '../test/hostile-text';
import { createMapper } from './mapper';
import { MappingFailureKind } from './mapping-failure';

const mapper = createMapper({ accountId: '111122223333' });
const columnNames = eventColumns.map((column) => column.name).sort();

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

/** What a row stores of a text: itself, with each lone surrogate as U+FFFD (rows are well-formed Unicode). */
function stored(text: string): string {
  return (text as string & { toWellFormed(): string }).toWellFormed();
}

function orNull(text: string): string | null {
  return text === '' ? null : stored(text);
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
            destinationAddress: input.destination.length === 0 ? null : input.destination.map(stored),
          });
          expect(row.channelData).toEqual(input.subject === '' ? null : { subject: stored(input.subject) });
          expect(row.tags).toEqual({
            organizationid: stored(input.organizationId),
            campaign: stored(input.campaign),
          });
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

        const expected = Object.fromEntries(
          Object.entries(tags).map(([k, v]) => [stored(k.toLowerCase()), stored(v)]),
        );
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
            destinationAddress: input.destination === '' ? null : [stored(input.destination)],
            statusMessage: orNull(input.description),
            isoCountryCode: orNull(input.country),
            organizationId: orNull(input.organizationId),
          });
          expect(row.tags).toEqual(
            Object.fromEntries(Object.entries(context).map(([k, v]) => [stored(k.toLowerCase()), stored(v)])),
          );
          expect(row.channelData).toEqual(
            input.country === '' ? null : { isocountrycode: stored(input.country) },
          );
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
          expect(message.rawStatus).toBe(JSON.stringify(entry.changes[0].value.messages[0]));
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
            input.callback === '' ? null : { biz_opaque_callback_data: stored(input.callback) },
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
  ])('maps %s to valid rows or to a failure of a kind the input explains', (_what, texts) => {
    fc.assert(
      fc.property(texts, (text) => {
        const events = mapper.map('events', text);
        const conversation = mapper.map('conversations', text);

        if (events.ok) {
          for (const row of events.value) {
            expect(Object.keys(row).sort()).toEqual(columnNames);
            expect(row.eventId).toMatch(/^[0-9a-f]{32}$/);
            expect(typeof row.rawEvent).toBe('string');
          }
        } else {
          // With the default templates, only the input can be at fault: never a template, never
          // the catch-all for an exception the mapper did not expect ("mapping stopped").
          expect(inputFailureKinds).toContain(events.error.kind);
          expect(events.error.message).not.toMatch(/^mapping stopped/);
        }
        if (!conversation.ok) {
          expect(conversation.error.kind).toMatch(/^(invalid-record|unparseable-json)$/);
          expect(conversation.error.message).toMatch(
            /^(conversation record: \$|record is not JSON|the record is empty or only whitespace)/,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('maps generated valid events of every source to the rows they stand for', () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom('none', 'sns', 'eventbridge'), (generated, envelope) => {
        const eventText = JSON.stringify(generated.event);
        const text =
          envelope === 'sns'
            ? JSON.stringify({ Type: 'Notification', MessageId: 'n-1', Message: eventText })
            : envelope === 'eventbridge'
              ? JSON.stringify({ source: 'aws.ses', 'detail-type': 'x', detail: generated.event })
              : eventText;

        const result = mapper.map('events', text);

        if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
        expect(
          result.value.map((row) => [row.channel, row.type, row.status, row.messageId, row.timestamp]),
        ).toEqual(generated.rows);
        const innerText = envelope === 'eventbridge' ? JSON.stringify(generated.event) : eventText;
        expect(result.value.map((row) => row.eventId)).toEqual(
          generated.rows.map((_row, position) => sha256(`${innerText}\u0000${position}`).slice(0, 32)),
        );
        if (!('whatsAppWebhookEntry' in generated.event)) expect(result.value[0].rawEvent).toBe(innerText);
        // A row of a WhatsApp entry holds its own unit as rawEvent, which maps to that row again.
        else
          for (const row of result.value)
            expect(mapper.map('events', row.rawEvent)).toMatchObject({
              ok: true,
              value: [{ ...row, eventId: expect.any(String) }],
            });
      }),
      runs,
    );
  });
});

const inputFailureKinds: readonly string[] = [
  MappingFailureKind.unparseableJson,
  MappingFailureKind.unknownSource,
  MappingFailureKind.invalidRecord,
];

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

type RowKey = [
  channel: string,
  type: string | null,
  status: string | null,
  messageId: string | null,
  timestamp: number,
];

/** A valid raw event of any source, with the key fields of the rows it must map to. */
interface GeneratedEvent {
  readonly event: Record<string, unknown>;
  readonly rows: RowKey[];
}

const identifier = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdef0123456789-.') });
const epochMillis = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });

const sesStatusObjects: Record<string, string> = {
  Bounce: 'bounce',
  Complaint: 'complaint',
  Delivery: 'delivery',
  Reject: 'reject',
  Open: 'open',
  Click: 'click',
  'Rendering Failure': 'failure',
  DeliveryDelay: 'deliveryDelay',
  Subscription: 'subscription',
  Send: 'send',
};

const sesEvent: fc.Arbitrary<GeneratedEvent> = fc
  .record({
    type: fc.constantFrom(...Object.keys(sesStatusObjects)),
    id: identifier,
    sent: epochMillis,
    happened: epochMillis,
  })
  .map(({ type, id, sent, happened }) => ({
    event: {
      eventType: type,
      mail: {
        timestamp: new Date(sent).toISOString(),
        messageId: id,
        source: 'a@example.com',
        destination: ['b@example.net'],
      },
      [sesStatusObjects[type]]: { timestamp: new Date(happened).toISOString() },
    },
    rows: [['email', type, type, id, happened]],
  }));

const messagingEvent: fc.Arbitrary<GeneratedEvent> = fc
  .record({
    prefix: fc.constantFrom('TEXT', 'MEDIA', 'VOICE'),
    suffix: fc.constantFrom('DELIVERED', 'SUCCESSFUL', 'BLOCKED', 'PENDING'),
    id: identifier,
    at: epochMillis,
    messageType: fc.constantFrom('TRANSACTIONAL', 'PROMOTIONAL'),
  })
  .map(({ prefix, suffix, id, at, messageType }) => ({
    event: {
      eventType: `${prefix}_${suffix}`,
      eventTimestamp: at,
      messageId: id,
      messageType,
      destinationPhoneNumber: '+14255550156',
    },
    rows: [[prefix.toLowerCase(), messageType, `${prefix}_${suffix}`, id, at]],
  }));

const whatsAppItems = fc.record({
  messages: fc.array(fc.record({ id: identifier, type: fc.constantFrom('text', 'image', 'reaction') }), {
    maxLength: 3,
  }),
  statuses: fc.array(fc.record({ id: identifier, status: fc.constantFrom('sent', 'delivered', 'read') }), {
    maxLength: 3,
  }),
});

const whatsAppEvent: fc.Arbitrary<GeneratedEvent> = fc
  .record({ changes: fc.array(whatsAppItems, { minLength: 1, maxLength: 3 }), at: epochMillis })
  .map(({ changes, at }) => {
    const entry = {
      id: '364711246704513',
      changes: changes.map(({ messages, statuses }) => ({
        field: 'messages',
        value: {
          metadata: { display_phone_number: '15550783881' },
          ...(messages.length > 0 ? { messages: messages.map((m) => ({ ...m, from: '16505551234' })) } : {}),
          ...(statuses.length > 0
            ? { statuses: statuses.map((s) => ({ ...s, recipient_id: '16505551234' })) }
            : {}),
        },
      })),
    };
    const rows = changes.flatMap(({ messages, statuses }): RowKey[] => [
      ...messages.map((m): RowKey => ['whatsapp', 'message', m.type, m.id, at]),
      ...statuses.map((s): RowKey => ['whatsapp', 'messageStatus', s.status, s.id, at]),
    ]);
    return {
      event: {
        whatsAppWebhookEntry: JSON.stringify(entry),
        aws_account_id: '1',
        message_timestamp: new Date(at).toISOString(),
      },
      rows,
    };
  });

const validEvent = fc.oneof(sesEvent, messagingEvent, whatsAppEvent);

describe('createMapper().mapConversation with arbitrary strings', () => {
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
                message: stored(input.message),
                sessionId: stored(input.sessionId),
                sendingAddress: stored(input.sendingAddress),
                tags: { environment: stored(input.tagValue) },
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
