import { conversationTable } from './conversation-table';
import { eventTable } from './event-table';
import { TableName } from './names';
import { glueColumnsOf, duckdbColumnsOf } from './storage-types';
import { canonicalTables, isTableName } from './tables';
import { validateCanonicalConversation, validateCanonicalEvent } from './validation';

const minimalEvent = { channel: 'text', timestamp: 1731523485968, rawEvent: '{}', eventId: 'abc' };

describe('validateCanonicalEvent', () => {
  it('accepts a minimal event and fills absent columns with null', () => {
    const result = validateCanonicalEvent(minimalEvent);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value)).toEqual(eventTable.columns.map((c) => c.name));
    expect(result.value.tags).toBeNull();
  });

  it('reports every issue with its path, the first one as the failure path', () => {
    const result = validateCanonicalEvent({
      channel: 'text',
      timestamp: 1.5,
      destinationAddress: ['+1', 7],
      tags: { campaign: 3 },
      extra: 'x',
    });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'invalid-record',
        path: '$.extra',
        message: [
          '$.extra unknown field for engagementdb-events-table',
          '$.destinationAddress[1] expected a string, got number 7',
          '$.timestamp expected an integer (epoch milliseconds), got number 1.5',
          '$.tags.campaign expected a string, got number 3',
          '$.rawEvent is required (string)',
          '$.eventId is required (string)',
        ].join('; '),
      },
    });
  });

  it('rejects a value that is not an object', () => {
    expect(validateCanonicalEvent([1])).toEqual({
      ok: false,
      error: { kind: 'invalid-record', path: '$', message: '$ expected an object, got an array' },
    });
  });

  it('accepts only the channels of the Channel set', () => {
    const result = validateCanonicalEvent({ ...minimalEvent, channel: 'sms' });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'invalid-record',
        path: '$.channel',
        message: '$.channel expected one of email, text, media, voice, whatsapp, got the string "sms"',
      },
    });
  });
});

describe('validateCanonicalConversation', () => {
  it('requires channel, direction and timestamp', () => {
    const result = validateCanonicalConversation({ message: 'Hello' });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.path).toBe('$.channel');
    expect(result.error.message).toMatch(
      /^\$\.channel is required.*; \$\.direction is required.*; \$\.timestamp is required/,
    );
  });

  it.each([
    ['channel', { channel: 'pigeon' }, 'expected one of email, text, media, voice, whatsapp'],
    ['direction', { direction: 'sideways' }, 'expected one of inbound, outbound'],
  ])('accepts only the values of the %s set', (column, change, expected) => {
    const record = { channel: 'text', direction: 'inbound', timestamp: 1731523485968, ...change };

    const result = validateCanonicalConversation(record);

    expect(result).toMatchObject({ ok: false, error: { path: `$.${column}` } });
    expect(!result.ok && result.error.message).toContain(expected);
  });
});

describe('canonicalTables', () => {
  it.each([
    [TableName.events, eventTable, 'engagementdb-events-table', 'engagementdb-events'],
    [
      TableName.conversations,
      conversationTable,
      'engagementdb-conversations-table',
      'engagementdb-conversations',
    ],
  ])('names every place the %s table has', (name, table, glueName, deliveryStreamName) => {
    expect(canonicalTables[name]).toBe(table);
    expect(table).toMatchObject({
      name,
      glueName,
      deliveryStreamName,
      prefix: name,
      errorPrefix: `errors/${name}`,
    });
  });

  it.each([
    ['events', true],
    ['conversations', true],
    ['clicks', false],
    ['toString', false],
    [undefined, false],
  ])('tells whether %p names a table', (value, expected) => {
    expect(isTableName(value)).toBe(expected);
  });
});

describe('storage columns', () => {
  it('derives lower-case Glue and DuckDB columns from the one schema', () => {
    const glue = glueColumnsOf(eventTable);
    const duck = duckdbColumnsOf(eventTable);

    expect(glue.map((c) => c.name)).toEqual([
      'accountid',
      'organizationid',
      'sendingid',
      'sendingaddress',
      'destinationaddress',
      'channel',
      'type',
      'status',
      'statuscode',
      'statusmessage',
      'rawstatus',
      'isocountrycode',
      'timestamp',
      'messageid',
      'tags',
      'channeldata',
      'rawevent',
      'eventid',
    ]);
    expect(glue.find((c) => c.name === 'channeldata')?.type).toBe('map<string,string>');
    expect(duck.find((c) => c.name === 'destinationaddress')?.type).toBe('VARCHAR[]');
    expect(duck.find((c) => c.name === 'timestamp')?.type).toBe('BIGINT');
  });
});
