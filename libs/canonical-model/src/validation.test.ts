import { eventTable } from './event-table';
import { glueColumnsOf, duckdbColumnsOf } from './storage-types';
import { validateCanonicalConversation, validateCanonicalEvent } from './validation';

const minimalEvent = { channel: 'text', timestamp: 1731523485968, rawEvent: '{}', eventId: 'abc' };

describe('validateCanonicalEvent', () => {
  it('accepts a minimal event and fills absent columns with null', () => {
    const result = validateCanonicalEvent(minimalEvent);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.row)).toEqual(eventTable.columns.map((c) => c.name));
    expect(result.row.tags).toBeNull();
  });

  it('reports every issue with its path', () => {
    const result = validateCanonicalEvent({
      channel: 'text',
      timestamp: 1.5,
      destinationAddress: ['+1', 7],
      tags: { campaign: 3 },
      extra: 'x',
    });

    expect(result).toEqual({
      ok: false,
      issues: [
        { path: '$.extra', message: 'unknown field for engagementdb-events-table' },
        { path: '$.destinationAddress[1]', message: 'expected a string, got number 7' },
        { path: '$.timestamp', message: 'expected an integer (epoch milliseconds), got number 1.5' },
        { path: '$.tags.campaign', message: 'expected a string, got number 3' },
        { path: '$.rawEvent', message: 'is required (string)' },
        { path: '$.eventId', message: 'is required (string)' },
      ],
    });
  });

  it('rejects a value that is not an object', () => {
    expect(validateCanonicalEvent([1])).toEqual({
      ok: false,
      issues: [{ path: '$', message: 'expected an object, got an array' }],
    });
  });
});

describe('validateCanonicalConversation', () => {
  it('requires channel, direction and timestamp', () => {
    const result = validateCanonicalConversation({ message: 'Hello' });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(['$.channel', '$.direction', '$.timestamp']);
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
