import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Channel, TableName } from '@engagement-db/canonical-model';
import { type CorpusCase, loadCorpus } from '@engagement-db/corpus';
import { generateActivity } from '@engagement-db/workload';
import { whatsAppStatusesEvent } from '../test/whatsapp-statuses-event';
import { compileTemplates } from './compile-templates';
import { createMapper, mapperOptionsOf } from './mapper';
import { MappingFailureKind } from './mapping-failure';
import { defaultTemplateSources, loadTemplateDirectory } from './template-sources';

const corpus = loadCorpus();
const mapper = createMapper();

/** The expected rows of a well-formed fixture; a missing `.expected.jsonl` fails the test that asks. */
function expectedRowsOf(fixture: CorpusCase): Record<string, unknown>[] {
  if (fixture.expected === null) {
    throw new Error(
      `${fixture.name}: no expected rows beside ${fixture.rawPath}; run npm run fixtures:expected and review the new file`,
    );
  }
  return fixture.expected as unknown as Record<string, unknown>[];
}

const wellFormedFixtures = corpus.filter((c) => c.group !== 'malformed');

function sesEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'Send',
    mail: {
      timestamp: '2025-03-14T15:09:26.017Z',
      source: 'news@example.com',
      sourceArn: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
      sendingAccountId: '111122223333',
      messageId: 'm-1',
      destination: ['jane@example.net'],
      tags: { organizationId: ['org-1'], Campaign: ['spring'] },
      commonHeaders: { subject: 'Hello' },
    },
    send: {},
    ...overrides,
  };
}

function smsEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'TEXT_DELIVERED',
    eventTimestamp: 1741966205377,
    originationPhoneNumber: '+12065550152',
    destinationPhoneNumber: '+14255550156',
    isoCountryCode: 'US',
    messageId: 'sms-1',
    messageType: 'TRANSACTIONAL',
    messageStatus: 'DELIVERED',
    messageStatusDescription: 'Message has been accepted by phone',
    totalMessagePrice: 0.00581,
    ...overrides,
  };
}

describe('createMapper().mapEvent', () => {
  const events = wellFormedFixtures.filter((c) => c.table === 'events');

  it('finds the whole fixture corpus', () => {
    expect(events.length).toBeGreaterThanOrEqual(30);
    expect(new Set(events.map((c) => c.group))).toEqual(new Set(['ses', 'sms', 'mms', 'voice', 'whatsapp']));
  });

  it('has expected rows for every well-formed fixture', () => {
    const missing = wellFormedFixtures.filter((c) => c.expected === null).map((c) => c.name);

    expect(missing).toEqual([]);
  });

  it.each(events.map((c) => [c.name, c] as const))('maps %s to its expected rows', (_name, fixture) => {
    const expected = expectedRowsOf(fixture);

    const result = mapper.map('events', fixture.rawText);

    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['malformed/broken-json', MappingFailureKind.unparseableJson, /not JSON/, undefined],
    [
      'malformed/sms-timestamp-wrong-type',
      MappingFailureKind.invalidRecord,
      /template messaging: \$\.timestamp is required/,
      '$.timestamp',
    ],
    ['malformed/sns-message-not-json', MappingFailureKind.invalidRecord, /\$\.Message/, '$.Message'],
    ['malformed/unknown-shape', MappingFailureKind.unknownSource, /no known event at \$.*"orderId"/, '$'],
    [
      'malformed/whatsapp-entry-not-json',
      MappingFailureKind.invalidRecord,
      /whatsAppWebhookEntry/,
      '$.whatsAppWebhookEntry',
    ],
  ])('reports %s as %s, with the field path the validator or detector gave', (name, kind, message, path) => {
    const fixture = corpus.find((c) => c.name === name);
    if (fixture === undefined) throw new Error(`fixture ${name} is missing`);

    const result = mapper.map('events', fixture.rawText);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe(kind);
    expect(result.error.message).toMatch(message);
    expect(result.error.path).toBe(path);
  });

  it('takes the account id from the options when an SMS event has none in its context', () => {
    const withAccount = createMapper({ accountId: '999988887777' });

    const result = withAccount.map('events', JSON.stringify(smsEvent()));

    expect(result).toMatchObject({ ok: true, value: [{ accountId: '999988887777', channel: 'text' }] });
  });

  it.each([
    ['accountId', { accountId: '111' }, '111'],
    ['accountID', { accountID: '222' }, '222'],
  ])('prefers context.%s over the configured account id', (_key, context, expected) => {
    const result = createMapper({ accountId: '999' }).map('events', JSON.stringify(smsEvent({ context })));

    expect(result).toMatchObject({ ok: true, value: [{ accountId: expected }] });
  });

  it('leaves accountId null when neither the event nor the options have one', () => {
    const result = mapper.map('events', JSON.stringify(smsEvent()));

    expect(result).toMatchObject({ ok: true, value: [{ accountId: null, isoCountryCode: 'US' }] });
  });

  it('writes prices as decimal text, never in exponent form', () => {
    const result = mapper.map(
      'events',
      JSON.stringify(smsEvent({ totalMessagePrice: 1e-7, totalCarrierFee: 0.00302 })),
    );

    expect(result).toMatchObject({
      ok: true,
      value: [{ channelData: { totalmessageprice: '0.0000001', totalcarrierfee: '0.00302' } }],
    });
  });

  it('gives the same eventId to the same raw text and a different one to different text', () => {
    const text = JSON.stringify(sesEvent());

    const first = mapper.map('events', text);
    const again = mapper.map('events', text);
    const other = mapper.map(
      'events',
      JSON.stringify(sesEvent({ eventType: 'Reject', reject: { reason: 'Bad content' } })),
    );

    if (!first.ok || !again.ok || !other.ok) throw new Error('expected every event to map');
    expect(first.value[0].eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(again.value[0].eventId).toBe(first.value[0].eventId);
    expect(other.value[0].eventId).not.toBe(first.value[0].eventId);
  });

  it('gives each row of a WhatsApp fan-out its own eventId', () => {
    const fixture = corpus.find((c) => c.name === 'whatsapp/two-statuses');

    const result = mapper.map('events', fixture?.rawText ?? '');

    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toHaveLength(2);
    expect(new Set(result.value.map((e) => e.eventId)).size).toBe(2);
  });

  it('keeps rawEvent as the text received, not a re-serialisation', () => {
    const text =
      '{ "eventType" : "Send", "mail": {"timestamp":"2025-03-14T15:09:26.017Z","messageId":"m","destination":[]}, "n": 1.50 }';

    const result = mapper.map('events', text);

    expect(result).toMatchObject({ ok: true, value: [{ rawEvent: text, destinationAddress: null }] });
  });

  it('stores a lone surrogate of an event as U+FFFD, rawEvent included, with the eventId of the text received', () => {
    const text = JSON.stringify(smsEvent({ messageStatusDescription: 'x\ud800y' })).replace(
      '\\ud800',
      '\ud800',
    );

    const result = mapper.map('events', text);

    expect(text).toContain('x\ud800y');
    expect(result).toMatchObject({
      ok: true,
      value: [{ statusMessage: 'x\ufffdy', rawEvent: text.replace('\ud800', '\ufffd') }],
    });
    if (result.ok)
      expect(result.value[0].eventId).toBe(
        createHash('sha256').update(`${text}\u0000${0}`).digest('hex').slice(0, 32),
      );
  });

  it('keeps the SNS Message text as rawEvent of an SNS-wrapped event', () => {
    const message = JSON.stringify(smsEvent());
    const text = JSON.stringify({ Type: 'Notification', MessageId: 'n-1', Message: message });

    const result = mapper.map('events', text);

    // Channel text: the End User Messaging template mapped the unwrapped event.
    expect(result).toMatchObject({ ok: true, value: [{ rawEvent: message, channel: 'text' }] });
  });

  it('lower-cases the keys of tags and channelData', () => {
    const result = mapper.map('events', JSON.stringify(sesEvent()));

    expect(result).toMatchObject({
      ok: true,
      value: [{ tags: { organizationid: 'org-1', campaign: 'spring' } }],
    });
  });

  it('gives no rows for a WhatsApp entry without messages or statuses', () => {
    const entry = { id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] };

    const result = mapper.map(
      'events',
      JSON.stringify({ whatsAppWebhookEntry: JSON.stringify(entry), aws_account_id: '1' }),
    );

    expect(result).toEqual({ ok: true, value: [] });
  });

  it.each([
    ['a JSON array', '[1,2]', MappingFailureKind.unknownSource],
    ['a JSON number', '42', MappingFailureKind.unknownSource],
    ['an empty line', '', MappingFailureKind.unparseableJson],
  ])('fails with a typed failure for %s', (_what, text, kind) => {
    const result = mapper.map('events', text);

    expect(result).toMatchObject({ ok: false, error: { kind } });
  });
});

describe('createMapper with templates written for the original sample', () => {
  const legacy = createMapper({
    templates: compileTemplates(loadTemplateDirectory(join(__dirname, '..', 'test', 'legacy-templates'))),
    accountId: '111122223333',
  });

  it.each(wellFormedFixtures.filter((c) => c.table === 'events').map((c) => [c.name, c] as const))(
    'maps %s with the legacy templates unchanged',
    (_name, fixture) => {
      const expected = expectedRowsOf(fixture) as { channel: string; eventId: string; rawEvent: string }[];

      const result = legacy.map('events', fixture.rawText);

      if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
      expect(result.value.map((e) => [e.channel, e.eventId, e.rawEvent])).toEqual(
        expected.map((e) => [e.channel, e.eventId, e.rawEvent]),
      );
    },
  );

  it('fills the bounce fields as the original template does', () => {
    const bounce = corpus.find((c) => c.name === 'ses/bounce');

    const result = legacy.map('events', bounce?.rawText ?? '');

    expect(result).toMatchObject({
      ok: true,
      value: [
        {
          organizationId: 'org-4051',
          status: 'Bounce',
          statusCode: 'Permanent',
          timestamp: Date.parse(
            (JSON.parse(bounce?.rawText ?? '{}') as { mail: { timestamp: string } }).mail.timestamp,
          ),
          channelData: { subject: 'Spring sale: 20% off everything this weekend' },
          rawEvent: bounce?.rawText.trim(),
        },
      ],
    });
  });
});

describe('createMapper with custom template strings', () => {
  function mapperWithSes(template: string) {
    return createMapper({ templates: compileTemplates({ ...defaultTemplateSources(), ses: template }) });
  }
  const event = JSON.stringify(sesEvent());

  it.each([
    [
      'a helper failing',
      '#set($a = {})#set($a.self = $a){"channel": "email", "x": $!jsonTool.toJson($a)}',
      MappingFailureKind.templateError,
    ],
    ['an unclosed string', '{"channel": "email", "x": "$!{eventType}}', MappingFailureKind.invalidOutput],
    [
      'text that is not JSON',
      '{"channel": "email", "timestamp": 1, "rawEvent": "x" oops}',
      MappingFailureKind.invalidOutput,
    ],
    ['an array instead of an object', '[1, 2]', MappingFailureKind.invalidOutput],
    [
      'an unknown field',
      '{"channel": "email", "timestamp": 1, "color": "red"}',
      MappingFailureKind.invalidRecord,
    ],
    ['a missing channel', '{"timestamp": 1}', MappingFailureKind.invalidRecord],
  ])('reports %s with the template name', (_what, template, kind) => {
    const result = mapperWithSes(template).map('events', event);

    expect(result).toMatchObject({
      ok: false,
      error: { kind, template: 'ses', message: expect.stringContaining('template ses') },
    });
  });

  it('names the field path of an invalid row', () => {
    const result = mapperWithSes('{"channel": "email", "timestamp": "soon"}').map('events', event);

    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid-record', message: expect.stringContaining('$.timestamp'), path: '$.timestamp' },
    });
  });

  it('resolves the helpers whatever object they are called on', () => {
    const template =
      '{"channel": $!mail.determineChannel("TEXT_X"), "timestamp": $!mail.destination.convertTime("2025-01-08T23:30:43.271279391Z"),' +
      ' "sendingAddress": "$!eventType.formatPhoneNumber(\'(650) 555-1234\')", "messageId": "$!jsonTool.retrieveItemFromRaw(\'{"a":"b"}\', \'a\')"}';

    const result = mapperWithSes(template).map('events', event);

    expect(result).toMatchObject({
      ok: true,
      value: [{ channel: 'text', timestamp: 1736379043271, sendingAddress: '+6505551234', messageId: 'b' }],
    });
  });

  it('keeps values interpolated in double-quoted directive strings as plain text', () => {
    const template =
      '#set($label = "$!{eventType}/$!{mail.messageId}"){"channel": "email", "timestamp": 1, "statusMessage": "$label"}';

    const result = mapperWithSes(template).map('events', event);

    expect(result).toMatchObject({ ok: true, value: [{ statusMessage: 'Send/m-1' }] });
  });

  it('renders values inside #foreach, #define and macros as values', () => {
    const template =
      '#macro(quoted $v)"$v"#end #define($subject)"$!{mail.commonHeaders.subject}"#end' +
      '{"channel": "email", "timestamp": 1, "destinationAddress": [#foreach($d in $mail.destination)"$d",#end],' +
      ' "statusCode": #quoted($eventType), "statusMessage": $subject}';

    const result = mapperWithSes(template).map('events', JSON.stringify(sesEvent({ eventType: 'Send"' })));

    expect(result).toMatchObject({
      ok: true,
      value: [{ destinationAddress: ['jane@example.net'], statusCode: 'Send"', statusMessage: 'Hello' }],
    });
  });
});

describe('createMapper().mapConversation', () => {
  const conversations = wellFormedFixtures.filter((c) => c.table === 'conversations');

  it.each(conversations.map((c) => [c.name, c] as const))(
    'maps %s to its expected record',
    (_name, fixture) => {
      const [expected] = expectedRowsOf(fixture);

      const result = mapper.map('conversations', fixture.rawText);

      expect(result).toEqual({ ok: true, value: [expected] });
    },
  );

  it('reports every wrong field of the malformed conversation', () => {
    const fixture = corpus.find((c) => c.name === 'malformed/conversation-wrong-types');

    const result = mapper.map('conversations', fixture?.rawText ?? '');

    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-record' } });
    if (result.ok) return;
    expect(result.error.message).toContain('$.timestamp');
    expect(result.error.message).toContain('$.tags');
  });

  it.each([
    ['an ISO timestamp', { timestamp: '2024-11-13T18:44:45.968Z' }, { timestamp: 1731523485968 }],
    ['epoch seconds', { timestamp: 1731523485 }, { timestamp: 1731523485000 }],
    ['mixed-case tag keys', { tags: { Environment: 'dev' } }, { tags: { environment: 'dev' } }],
  ])('normalises %s', (_what, change, expected) => {
    const record = {
      channel: 'text',
      direction: 'inbound',
      timestamp: 1731523485968,
      message: 'Hi',
      ...change,
    };

    const result = mapper.map('conversations', JSON.stringify(record));

    expect(result).toMatchObject({ ok: true, value: [expected] });
  });

  it('stores lone surrogates of a conversation record as U+FFFD, in every string column', () => {
    const record = {
      channel: 'text',
      direction: 'inbound',
      timestamp: 1731523485968,
      message: 'x\ud800y',
      tags: { 'k\udc00': 'v\ud800' },
    };

    const result = mapper.map('conversations', JSON.stringify(record));

    expect(result).toMatchObject({
      ok: true,
      value: [{ message: 'x\ufffdy', tags: { 'k\ufffd': 'v\ufffd' } }],
    });
  });

  it.each([
    ['an unknown channel', { channel: 'pigeon' }, '$.channel', '$.channel'],
    [
      'a timestamp past 9999',
      { timestamp: 253402300800000 },
      '$.timestamp',
      '$.timestamp expected epoch milliseconds from 1970-01-01',
    ],
    ['an unknown direction', { direction: 'sideways' }, '$.direction', '$.direction'],
    ['a number tag value', { tags: { n: 1 } }, '$.tags.n', '$.tags.n'],
    ['a missing timestamp', { timestamp: undefined }, '$.timestamp', '$.timestamp'],
  ])('fails for %s', (_what, change, path, message) => {
    const record = { channel: 'text', direction: 'inbound', timestamp: 1731523485968, ...change };

    const result = mapper.map('conversations', JSON.stringify(record));

    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid-record', message: expect.stringContaining(message), path },
    });
  });
});

describe('createMapper with a template that writes a __proto__ field', () => {
  it('reports the field as unknown instead of inheriting from it', () => {
    const template = '{"__proto__": {"channel": "email", "timestamp": 1}, "rawEvent": "x"}';
    const custom = createMapper({
      templates: compileTemplates({ ...defaultTemplateSources(), ses: template }),
    });

    const result = custom.map('events', JSON.stringify({ eventType: 'Send', mail: {} }));

    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid-record', message: expect.stringContaining('$.__proto__ unknown field') },
    });
  });
});

describe('createMapper().map with generated activity', () => {
  const activity = generateActivity({ events: 3000, day: new Date(Date.UTC(2025, 2, 15, 13, 45)) });

  it('maps the raw events without failure, for every channel', () => {
    const results = activity.events.map((e) => mapper.map(TableName.events, e.text));
    const failed = results.flatMap((r, i) => (r.ok ? [] : [`${i}: ${r.error.kind}: ${r.error.message}`]));
    const channels = new Set(results.flatMap((r) => (r.ok ? r.value.map((row) => row.channel) : [])));

    expect(failed).toEqual([]);
    expect([...channels].sort()).toEqual(Object.values(Channel).sort());
  });

  it('accepts the chatbot conversation records', () => {
    const results = activity.conversations.map((c) => mapper.map(TableName.conversations, c.text));

    expect(activity.conversations.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('createMapper().mapLines', () => {
  const activity = generateActivity({ events: 1000, day: new Date(Date.UTC(2025, 2, 15, 13, 45)) });
  const records: [TableName, string][] = [
    ...corpus.map((fixture): [TableName, string] => [fixture.table, fixture.rawText]),
    ...activity.events.map((event): [TableName, string] => [TableName.events, event.text]),
    ...activity.conversations.map((record): [TableName, string] => [TableName.conversations, record.text]),
  ];

  it('gives each row of map as JSON.stringify writes it, with its channel and timestamp, or the same failure', () => {
    for (const [table, text] of records) {
      const rows = mapper.map(table, text);

      const lines = mapper.mapLines(table, text);

      expect(lines).toEqual(
        rows.ok
          ? {
              ok: true,
              value: rows.value.map((row) => ({
                text: JSON.stringify(row),
                channel: row.channel,
                timestamp: row.timestamp,
              })),
            }
          : rows,
      );
    }
  });
});

describe('createMapper().map on records nested deeper than any event', () => {
  // Objects nested `depth` deep: inside a record, one level more.
  const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
  const tooDeep = "the record's arrays and objects nest more than 128 levels deep; no event does";

  it.each([
    ['an SMS event', 1, (extra: unknown) => JSON.stringify(smsEvent({ extra }))],
    [
      'a WhatsApp entry of two statuses',
      2,
      (extra: unknown) => JSON.stringify({ ...whatsAppStatusesEvent(2), extra }),
    ],
  ])('fails %s nested 129 levels deep and maps it at 128', (_what, rows, recordWith) => {
    const over = mapper.map('events', recordWith(nested(128)));
    const atLimit = mapper.map('events', recordWith(nested(127)));

    expect(over).toEqual({
      ok: false,
      error: { kind: MappingFailureKind.invalidRecord, message: tooDeep, path: '$' },
    });
    expect(atLimit.ok && atLimit.value.length).toBe(rows);
  });

  it('fails an SNS notification whose Message nests too deep, naming the Message', () => {
    const message = (extra: unknown) => JSON.stringify(smsEvent({ extra }));
    const notification = (extra: unknown) =>
      JSON.stringify({ Type: 'Notification', MessageId: 'n-1', Message: message(extra) });

    const over = mapper.map('events', notification(nested(128)));
    const atLimit = mapper.map('events', notification(nested(127)));

    expect(over).toMatchObject({
      ok: false,
      error: {
        kind: MappingFailureKind.invalidRecord,
        path: '$.Message',
        message: expect.stringContaining('(its arrays and objects nest more than 128 levels deep)'),
      },
    });
    expect(atLimit).toMatchObject({ ok: true, value: [{ channel: 'text' }] });
  });

  it('fails a conversation record nested too deep', () => {
    const conversation = corpus.find((c) => c.name === 'conversations/conversation-event')?.rawText ?? '';
    // Written as text: JSON.stringify itself runs out of stack on such a value.
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const text = `${JSON.stringify(JSON.parse(conversation)).slice(0, -1)},"extra":${deep}}`;

    expect(mapper.map('conversations', text)).toEqual({
      ok: false,
      error: { kind: MappingFailureKind.invalidRecord, message: tooDeep, path: '$' },
    });
  });
});

describe('createMapper().map with a table that does not exist', () => {
  it('throws MapperError naming the tables there are', () => {
    expect(() => mapper.map('clicks' as TableName, '{}')).toThrow(
      expect.objectContaining({
        name: 'MapperError',
        message:
          'map: table is "clicks", expected events or conversations. ' +
          "Pass one of TableName's values (check a table name given at run time with isTableName).",
      }),
    );
  });
});

describe('Mapper.settings', () => {
  it('makes the same mapper again from plain data, as a worker thread receives it', () => {
    const original = createMapper({ accountId: '111122223333' });
    const copy = createMapper(mapperOptionsOf(structuredClone(original.settings)));
    const line = JSON.stringify({
      eventType: 'TEXT_DELIVERED',
      messageId: 'm-1',
      eventTimestamp: 1736379043271,
      destinationPhoneNumber: '+15550100',
    });

    const expected = original.map('events', line);
    expect(expected.ok).toBe(true);
    expect(copy.map('events', line)).toEqual(expected);
    expect(copy.settings.accountId).toBe('111122223333');
  });
});

describe('createMapper().mapEvent on a WhatsApp entry with several units', () => {
  const twoChanges = corpus.find((c) => c.name === 'whatsapp/two-changes');
  const fanOuts = corpus.filter(
    (c) => c.name === 'whatsapp/two-changes' || c.name === 'whatsapp/two-statuses',
  );

  function entryOf(event: Record<string, unknown>): { id: string; changes: Record<string, unknown>[] } {
    return JSON.parse(event.whatsAppWebhookEntry as string) as {
      id: string;
      changes: Record<string, unknown>[];
    };
  }

  function rowsOf(text: string) {
    const result = mapper.map('events', text);
    if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
    return result.value;
  }

  it('fans out every change of the entry, messages then statuses of each, in order', () => {
    const rows = rowsOf(twoChanges?.rawText ?? '');

    expect(rows.map((row) => [row.type, row.status, row.destinationAddress])).toEqual([
      ['message', 'text', ['+16505551234']],
      ['messageStatus', 'read', ['+16505551234']],
      ['messageStatus', 'delivered', ['+16505553333']],
      ['messageStatus', 'failed', ['+16505554444']],
    ]);
  });

  it.each(fanOuts.map((c) => [c.name, c] as const))(
    'keeps in each row of %s a rawEvent holding the envelope and only its own message or status',
    (_name, fixture) => {
      const original = JSON.parse(fixture.rawText) as Record<string, unknown>;
      const originalEntry = entryOf(original);
      const items = originalEntry.changes.flatMap((change) => {
        const value = change.value as { messages?: { id: string }[]; statuses?: { id: string }[] };
        return [...(value.messages ?? []), ...(value.statuses ?? [])].map((item) => ({ change, item }));
      });

      const rows = rowsOf(fixture.rawText);

      expect(rows).toHaveLength(items.length);
      rows.forEach((row, position) => {
        const unitEvent = JSON.parse(row.rawEvent) as Record<string, unknown>;
        const { change, item } = items[position];
        const {
          messages: _messages,
          statuses: _statuses,
          ...valueRest
        } = change.value as Record<string, unknown>;
        const listName = 'type' in item && row.type === 'message' ? 'messages' : 'statuses';
        expect(Object.keys(unitEvent)).toEqual(Object.keys(original));
        expect({ ...unitEvent, whatsAppWebhookEntry: null }).toEqual({
          ...original,
          whatsAppWebhookEntry: null,
        });
        expect(entryOf(unitEvent)).toEqual({
          ...originalEntry,
          changes: [{ ...change, value: { ...valueRest, [listName]: [item] } }],
        });
        expect(row.messageId).toBe(item.id);
      });
    },
  );

  it.each(fanOuts.map((c) => [c.name, c] as const))(
    'maps the rawEvent of each row of %s again to the same row',
    (_name, fixture) => {
      const rows = rowsOf(fixture.rawText);

      for (const row of rows) {
        const again = rowsOf(row.rawEvent);
        expect(again).toEqual([{ ...row, eventId: expect.stringMatching(/^[0-9a-f]{32}$/) }]);
      }
    },
  );

  it('keeps the event text as received as rawEvent when the entry holds one unit', () => {
    const fixture = corpus.find((c) => c.name === 'whatsapp/inbound-text');

    const rows = rowsOf(fixture?.rawText ?? '');

    expect(rows.map((row) => row.rawEvent)).toEqual([fixture?.rawText.trim()]);
  });

  it('hashes the whole raw event text and the row position into eventId', () => {
    const text = twoChanges?.rawText.trim() ?? '';
    const sha256 = (input: string) => createHash('sha256').update(input).digest('hex').slice(0, 32);

    const rows = rowsOf(text);

    expect(rows.map((row) => row.eventId)).toEqual(
      rows.map((_row, position) => sha256(`${text}\u0000${position}`)),
    );
  });

  it('makes rows whose size grows linearly with the entry', () => {
    const sizes = [1_000, 10_000].map((count) => {
      const text = JSON.stringify(whatsAppStatusesEvent(count));
      const rows = rowsOf(text);
      expect(rows).toHaveLength(count);
      return (
        rows.reduce((sum, row) => sum + row.rawEvent.length + (row.rawStatus?.length ?? 0), 0) / text.length
      );
    });

    // Each row holds its status twice (rawEvent and rawStatus) and the envelope once: a few times the
    // input, whatever the number of statuses (it was the number of statuses times the input).
    expect(sizes[0]).toBeLessThan(5);
    expect(sizes[1]).toBeLessThan(5);
  });
});
