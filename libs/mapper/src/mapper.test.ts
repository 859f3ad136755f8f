import { join } from 'node:path';
import { Channel, TableName } from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { generateActivity } from '@engagement-db/workload';
import { compileTemplates } from './compile-templates';
import { createMapper, mapperOptionsOf } from './mapper';
import { MappingFailureKind } from './mapping-failure';
import { defaultTemplateSources, loadTemplateDirectory } from './template-sources';

const corpus = loadCorpus();
const mapper = createMapper();

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

describe("createMapper().map('events', ...)", () => {
  const events = corpus.filter((c) => c.table === 'events' && c.expected !== null);

  it('finds the whole fixture corpus', () => {
    expect(events.length).toBeGreaterThanOrEqual(30);
    expect(new Set(events.map((c) => c.group))).toEqual(new Set(['ses', 'sms', 'mms', 'voice', 'whatsapp']));
  });

  it.each(events.map((c) => [c.name, c] as const))('maps %s to its expected rows', (_name, fixture) => {
    const result = mapper.map('events', fixture.rawText);

    expect(result).toEqual({ ok: true, value: fixture.expected });
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

  it.each(corpus.filter((c) => c.table === 'events' && c.expected !== null).map((c) => [c.name, c] as const))(
    'maps %s with the legacy templates unchanged',
    (_name, fixture) => {
      const expected = fixture.expected as { channel: string; eventId: string; rawEvent: string }[];

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

describe("createMapper().map('conversations', ...)", () => {
  const conversations = corpus.filter((c) => c.table === 'conversations' && c.expected !== null);

  it.each(conversations.map((c) => [c.name, c] as const))(
    'maps %s to its expected record',
    (_name, fixture) => {
      const result = mapper.map('conversations', fixture.rawText);

      expect(result).toEqual({ ok: true, value: fixture.expected });
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

  it.each([
    ['an unknown channel', { channel: 'pigeon' }, '$.channel'],
    ['an unknown direction', { direction: 'sideways' }, '$.direction'],
    ['a number tag value', { tags: { n: 1 } }, '$.tags.n'],
    ['a missing timestamp', { timestamp: undefined }, '$.timestamp'],
  ])('fails for %s', (_what, change, path) => {
    const record = { channel: 'text', direction: 'inbound', timestamp: 1731523485968, ...change };

    const result = mapper.map('conversations', JSON.stringify(record));

    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'invalid-record', message: expect.stringContaining(path), path },
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
