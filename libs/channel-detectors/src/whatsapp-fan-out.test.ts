import fc from 'fast-check';
import { WhatsAppEventType, WhatsAppUnitKind, fanOutWhatsApp, narrowToUnit } from './whatsapp-fan-out';

const customer = '16505551234';
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const textMessage = {
  from: customer,
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUZBMjM0QjU2Nzg5MEFCQ0RFRgA=',
  timestamp: '1741971731',
  type: 'text',
  text: { body: 'Hi! Does the spring sale include the blue jacket?' },
};
const imageMessage = {
  from: customer,
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUI5ODc2NTQzMjEwRkVEQ0JBOQA=',
  timestamp: '1741971895',
  type: 'image',
  image: { caption: 'This one', mime_type: 'image/jpeg', id: '1003383421387256' },
};
const reactionMessage = {
  from: customer,
  id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUMxMjM0NTY3ODlBQkNERUYwMQA=',
  timestamp: '1741971980',
  type: 'reaction',
  reaction: { message_id: 'wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA', emoji: '👍' },
};
const statusOf = (status: string, extra: Record<string, unknown> = {}) => ({
  id: `wamid.${status}`,
  status,
  timestamp: '1741971781',
  recipient_id: customer,
  ...extra,
});
const reEngagementError = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Message failed to send because more than 24 hours have passed since the customer last replied.',
  error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
};

function entryOf(...values: Record<string, unknown>[]): Record<string, unknown> {
  return {
    id: '364711246704513',
    changes: values.map((value) => ({
      value: { messaging_product: 'whatsapp', metadata, ...value },
      field: 'messages',
    })),
  };
}

/** The event End User Messaging Social delivers: Meta's entry as a JSON string beside the AWS header. */
function eventOf(entry: unknown): Record<string, unknown> {
  return {
    context: {
      MetaWabaIds: [{ wabaId: '364711246704513' }],
      MetaPhoneNumberIds: [{ metaPhoneNumberId: '106540352242922' }],
    },
    whatsAppWebhookEntry: typeof entry === 'string' ? entry : JSON.stringify(entry),
    aws_account_id: '111122223333',
    message_timestamp: '2025-03-14T17:03:01.271279391Z',
    messageId: '6d69f07a-c317-4278-9d5c-6a84078419ec',
  };
}

describe('fanOutWhatsApp', () => {
  it.each([
    ['a text message', textMessage, 'text'],
    ['an image message', imageMessage, 'image'],
    ['a reaction message', reactionMessage, 'reaction'],
  ])('returns one message unit whose status is the message type for %s', (_case, message, status) => {
    const entry = entryOf({
      contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: customer }],
      messages: [message],
    });

    const result = fanOutWhatsApp(eventOf(entry));

    expect(result).toEqual({
      ok: true,
      value: [
        {
          position: 0,
          kind: WhatsAppUnitKind.message,
          type: WhatsAppEventType.message,
          status,
          statusCode: null,
          statusMessage: null,
          item: message,
          change: (entry.changes as unknown[])[0],
          entry,
        },
      ],
    });
  });

  it.each([
    ['sent', statusOf('sent', { pricing: { billable: true, category: 'marketing' } }), 'sent', null, null],
    ['delivered', statusOf('delivered'), 'delivered', null, null],
    ['read', statusOf('read', { biz_opaque_callback_data: 'campaign=spring-sale-2025' }), 'read', null, null],
    [
      'failed',
      statusOf('failed', { errors: [reEngagementError] }),
      'failed',
      '131047',
      reEngagementError.message,
    ],
    [
      'failed with the code as text and only a title',
      statusOf('failed', { errors: [{ code: '130472', title: "User's number is part of an experiment" }] }),
      'failed',
      '130472',
      "User's number is part of an experiment",
    ],
    [
      'failed with two errors (the first one counts)',
      statusOf('failed', { errors: [{ code: 131026, message: 'Message undeliverable' }, reEngagementError] }),
      'failed',
      '131026',
      'Message undeliverable',
    ],
    ['failed without errors', statusOf('failed'), 'failed', null, null],
    ['failed with an empty errors list', statusOf('failed', { errors: [] }), 'failed', null, null],
    [
      'sent with errors (only a failed status has a code)',
      statusOf('sent', { errors: [reEngagementError] }),
      'sent',
      null,
      null,
    ],
    ['without a status field', { id: 'wamid.x', timestamp: '1741971781' }, null, null, null],
  ])(
    'returns one messageStatus unit for a status %s',
    (_case, status, expectedStatus, statusCode, statusMessage) => {
      const result = fanOutWhatsApp(eventOf(entryOf({ statuses: [status] })));

      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value).toHaveLength(1);
      expect(result.value[0]).toMatchObject({
        position: 0,
        kind: WhatsAppUnitKind.status,
        type: WhatsAppEventType.messageStatus,
        status: expectedStatus,
        statusCode,
        statusMessage,
        item: status,
      });
    },
  );

  it('returns one unit per message and status across every change, in order, each with its change', () => {
    // prepare
    const entry = entryOf(
      { statuses: [statusOf('delivered'), statusOf('read')] },
      { messages: [textMessage, imageMessage] },
      { messages: [reactionMessage], statuses: [statusOf('failed', { errors: [reEngagementError] })] },
    );
    // act
    const result = fanOutWhatsApp(eventOf(entry));

    // assert
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.map((unit) => [unit.position, unit.type, unit.status, unit.item.id])).toEqual([
      [0, 'messageStatus', 'delivered', 'wamid.delivered'],
      [1, 'messageStatus', 'read', 'wamid.read'],
      [2, 'message', 'text', textMessage.id],
      [3, 'message', 'image', imageMessage.id],
      [4, 'message', 'reaction', reactionMessage.id],
      [5, 'messageStatus', 'failed', 'wamid.failed'],
    ]);
    const parsedChanges = result.value[0]?.entry.changes as unknown[];
    expect(result.value.map((unit) => parsedChanges.indexOf(unit.change))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(result.value.every((unit) => unit.entry === result.value[0]?.entry)).toBe(true);
    expect(result.value[0]?.entry).toEqual(entry);
  });

  it('accepts the entry as an object', () => {
    const entry = entryOf({ statuses: [statusOf('sent')] });

    const result = fanOutWhatsApp({ whatsAppWebhookEntry: entry });

    expect(result.ok && result.value.map((unit) => unit.status)).toEqual(['sent']);
    expect(result.ok && result.value[0]?.entry).toBe(entry);
  });

  it.each([
    ['no changes', { id: '364711246704513', changes: [] }],
    [
      'an account update change',
      { id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] },
    ],
    ['a change with empty lists', entryOf({ messages: [], statuses: [] })],
  ])('returns no units for an entry with %s', (_case, entry) => {
    expect(fanOutWhatsApp(eventOf(entry))).toEqual({ ok: true, value: [] });
  });

  it.each([
    [
      'an entry that is not JSON',
      eventOf('{"id":"364711246704513","changes":[{"value":'),
      '$.whatsAppWebhookEntry',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry: expected Meta's webhook entry as a JSON string, got text that is not JSON \(.+\): "\{\\"id\\":\\"364711246704513\\",\\"changes\\":\[\{\\"value\\":"$/,
    ],
    [
      'a missing entry',
      { messageId: '6d69f07a' },
      '$.whatsAppWebhookEntry',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry: expected Meta's webhook entry as a JSON string, got undefined$/,
    ],
    [
      'an entry that is a number',
      { whatsAppWebhookEntry: 12 },
      '$.whatsAppWebhookEntry',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry: expected Meta's webhook entry as a JSON string, got a number$/,
    ],
    [
      'an entry holding a JSON array',
      eventOf('[]'),
      '$.whatsAppWebhookEntry',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry: expected a JSON object, got an array$/,
    ],
    [
      'changes that are not a list',
      eventOf({ id: '1', changes: { value: {} } }),
      '$.whatsAppWebhookEntry.changes',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes: expected an array of changes, got an object$/,
    ],
    [
      'no changes field',
      eventOf({ id: '1' }),
      '$.whatsAppWebhookEntry.changes',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes: expected an array of changes, got undefined$/,
    ],
    [
      'a change that is not an object',
      eventOf({ id: '1', changes: [{ field: 'messages', value: {} }, 'messages'] }),
      '$.whatsAppWebhookEntry.changes[1]',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes\[1\]: expected a change object, got a string$/,
    ],
    [
      'a change without value',
      eventOf({ id: '1', changes: [{ field: 'messages' }] }),
      '$.whatsAppWebhookEntry.changes[0].value',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes\[0\]\.value: expected an object, got undefined$/,
    ],
    [
      'statuses that are not a list',
      eventOf(entryOf({ statuses: statusOf('sent') })),
      '$.whatsAppWebhookEntry.changes[0].value.statuses',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes\[0\]\.value\.statuses: expected an array, got an object$/,
    ],
    [
      'a message that is not an object',
      eventOf(entryOf({ messages: [textMessage, null] })),
      '$.whatsAppWebhookEntry.changes[0].value.messages[1]',
      /^WhatsApp entry at \$\.whatsAppWebhookEntry\.changes\[0\]\.value\.messages\[1\]: expected an object, got null$/,
    ],
  ])('fails with invalid-whatsapp-entry for %s', (_case, event, path, message) => {
    const result = fanOutWhatsApp(event);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('invalid-whatsapp-entry');
    expect(result.error.path).toBe(path);
    expect(result.error.message).toMatch(message);
  });
});

describe('narrowToUnit', () => {
  const entry = entryOf(
    { contacts: [{ wa_id: customer }], messages: [textMessage, imageMessage], statuses: [statusOf('read')] },
    { statuses: [statusOf('delivered')] },
  );
  const event = eventOf(entry);

  function unitsOf(from: Record<string, unknown>) {
    const result = fanOutWhatsApp(from);
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it('keeps, for each unit, the envelope and the entry narrowed to its change and its one item', () => {
    const narrowed = unitsOf(event).map((unit) => narrowToUnit(event, unit));

    expect(narrowed.map((unit) => unit.whole)).toEqual([false, false, false, false]);
    expect(narrowed.map((unit) => JSON.parse(unit.event.whatsAppWebhookEntry as string))).toEqual(
      narrowed.map((unit) => unit.entry),
    );
    expect(narrowed.map((unit) => unit.entry)).toEqual([
      entryOf({ contacts: [{ wa_id: customer }], messages: [textMessage] }),
      entryOf({ contacts: [{ wa_id: customer }], messages: [imageMessage] }),
      entryOf({ contacts: [{ wa_id: customer }], statuses: [statusOf('read')] }),
      entryOf({ statuses: [statusOf('delivered')] }),
    ]);
    for (const unit of narrowed) {
      expect(Object.keys(unit.event)).toEqual(Object.keys(event));
      expect({ ...unit.event, whatsAppWebhookEntry: 'x' }).toEqual({ ...event, whatsAppWebhookEntry: 'x' });
      expect(unit.event.whatsAppWebhookEntry).toBe(JSON.stringify(unit.entry));
      expect(unit.text).toBe(JSON.stringify(unit.event));
    }
  });

  it('gives the text of each unit event exactly as JSON.stringify writes it, whatever the entry holds', () => {
    const anyKey = fc.oneof(
      fc.string(),
      fc.constantFrom('__proto__', '0', '10', 'messages', 'statuses', 'value'),
    );
    const anyFields = fc.dictionary(anyKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    const items = fc.array(
      anyFields.map((fields) => ({ ...fields, id: 'x' })),
      { minLength: 1, maxLength: 3 },
    );
    const change = fc
      .tuple(anyFields, fc.option(items), fc.option(items), anyFields)
      .map(([before, messages, statuses, after]) => ({
        ...before,
        value: { ...before, ...(messages ? { messages } : {}), ...(statuses ? { statuses } : {}), ...after },
        field: 'messages',
      }));
    fc.assert(
      fc.property(
        anyFields,
        fc.array(change, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (fields, changes, asText) => {
          const parsedEntry = JSON.parse(JSON.stringify({ id: '1', ...fields, changes })) as Record<
            string,
            unknown
          >;
          const withEntry = JSON.parse(
            JSON.stringify({
              ...fields,
              whatsAppWebhookEntry: asText ? JSON.stringify(parsedEntry) : parsedEntry,
            }),
          ) as Record<string, unknown>;
          const result = fanOutWhatsApp(withEntry);
          if (!result.ok) return;

          for (const unit of result.value) {
            const narrowed = narrowToUnit(withEntry, unit);

            if (narrowed.whole) expect(narrowed.text).toBeUndefined();
            else expect(narrowed.text).toBe(JSON.stringify(narrowed.event));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the order of the fields of the value', () => {
    const [message] = unitsOf(event);

    const { entry: narrowedEntry } = narrowToUnit(event, message);

    const value = (narrowedEntry.changes as { value: Record<string, unknown> }[])[0].value;
    expect(Object.keys(value)).toEqual(['messaging_product', 'metadata', 'contacts', 'messages']);
  });

  it('keeps an entry given as an object as an object', () => {
    const withObject = { ...event, whatsAppWebhookEntry: entry };
    const [, image] = unitsOf(withObject);

    const narrowed = narrowToUnit(withObject, image);

    expect(narrowed.event.whatsAppWebhookEntry).toBe(narrowed.entry);
  });

  it('gives the event itself when the entry holds only the unit', () => {
    const single = eventOf(entryOf({ statuses: [statusOf('sent')] }));
    const [unit] = unitsOf(single);

    const narrowed = narrowToUnit(single, unit);

    expect(narrowed).toEqual({ event: single, entry: unit.entry, whole: true, text: undefined });
    expect(narrowed.event).toBe(single);
  });
});
