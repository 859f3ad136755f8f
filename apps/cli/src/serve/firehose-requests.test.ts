import {
  FirehoseLimit,
  parseDescribeDeliveryStream,
  parseListDeliveryStreams,
  parsePutRecord,
  parsePutRecordBatch,
} from './firehose-requests';

const stream = 'engagementdb-events';
const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('parsePutRecord', () => {
  it('decodes the record data when the request is well formed', () => {
    const result = parsePutRecord({ DeliveryStreamName: stream, Record: { Data: base64('{"a":1}\n') } });

    expect(result).toEqual({
      ok: true,
      value: { deliveryStreamName: stream, data: Buffer.from('{"a":1}\n') },
    });
  });

  it.each([
    {
      payload: [],
      kind: 'SerializationException',
      message: 'the request body must be a JSON object, got a list',
    },
    {
      payload: { Record: { Data: 'e30=' } },
      kind: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'deliveryStreamName' failed to satisfy constraint: Member must not be null",
    },
    {
      payload: { DeliveryStreamName: 7, Record: { Data: 'e30=' } },
      kind: 'SerializationException',
      message: 'DeliveryStreamName must be a string, got a number',
    },
    {
      payload: { DeliveryStreamName: stream },
      kind: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'record' failed to satisfy constraint: Member must not be null",
    },
    {
      payload: { DeliveryStreamName: stream, Record: { Data: 'not base64!' } },
      kind: 'SerializationException',
      message: 'Record.Data is not valid base64 (11 characters); encode the bytes as base64',
    },
    {
      payload: { DeliveryStreamName: stream, Record: { Data: 12 } },
      kind: 'SerializationException',
      message: 'Record.Data must be base64 text, got a number',
    },
  ])('refuses with $kind when $message', ({ payload, kind, message }) => {
    const result = parsePutRecord(payload);

    expect(result).toEqual({ ok: false, error: { kind, message, status: 400 } });
  });

  it('names the record of a missing Data the way Firehose names members', () => {
    const result = parsePutRecordBatch({ DeliveryStreamName: stream, Records: [{ Data: 'e30=' }, {}] });

    expect(!result.ok && result.error).toEqual({
      kind: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value null at 'records.2.member.data' failed to satisfy constraint: Member must not be null",
    });
  });

  it('refuses a record over 1,000 KiB with ValidationException', () => {
    const data = Buffer.alloc(FirehoseLimit.recordBytes + 1).toString('base64');

    const result = parsePutRecord({ DeliveryStreamName: stream, Record: { Data: data } });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value of 1024001 bytes at 'record.data' failed to satisfy constraint: " +
          'Member must have length less than or equal to 1024000',
      },
    });
  });
});

describe('parsePutRecordBatch', () => {
  it('decodes every record, in order, when the batch is within the limits', () => {
    const records = ['one', 'two', 'three'].map((text) => ({ Data: base64(text) }));

    const result = parsePutRecordBatch({ DeliveryStreamName: stream, Records: records });

    expect(result.ok && result.value.records.map((data) => data.toString())).toEqual(['one', 'two', 'three']);
  });

  it.each([
    { count: 0, bound: 'greater than or equal to 1' },
    { count: 501, bound: 'less than or equal to 500' },
  ])('refuses $count records with ValidationException', ({ count, bound }) => {
    const records = Array.from({ length: count }, () => ({ Data: 'e30=' }));

    const result = parsePutRecordBatch({ DeliveryStreamName: stream, Records: records });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'ValidationException',
        status: 400,
        message: `1 validation error detected: Value of ${count} records at 'records' failed to satisfy constraint: Member must have length ${bound}`,
      },
    });
  });

  it('names every record over 1,000 KiB, numbered from 1', () => {
    const big = Buffer.alloc(FirehoseLimit.recordBytes + 10).toString('base64');
    const records = [{ Data: 'e30=' }, { Data: big }, { Data: 'e30=' }, { Data: big }];

    const result = parsePutRecordBatch({ DeliveryStreamName: stream, Records: records });

    expect(!result.ok && result.error.kind).toBe('ValidationException');
    expect(!result.ok && result.error.message).toBe(
      "2 validation errors detected: Value of 1024010 bytes at 'records.2.member.data' failed to satisfy constraint: " +
        "Member must have length less than or equal to 1024000; Value of 1024010 bytes at 'records.4.member.data' " +
        'failed to satisfy constraint: Member must have length less than or equal to 1024000',
    );
  });

  it('refuses records over 4 MiB in all with InvalidArgumentException', () => {
    const record = { Data: Buffer.alloc(1_000_000).toString('base64') };

    const result = parsePutRecordBatch({
      DeliveryStreamName: stream,
      Records: [record, record, record, record, record],
    });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'InvalidArgumentException',
        status: 400,
        message:
          'Records size exceeds 4 MiB limit: the 5 records hold 5000000 bytes, at most 4194304 are allowed per ' +
          'PutRecordBatch; split the batch.',
      },
    });
  });

  it('refuses Records that are not a list with SerializationException', () => {
    const result = parsePutRecordBatch({ DeliveryStreamName: stream, Records: { Data: 'e30=' } });

    expect(result).toEqual({
      ok: false,
      error: {
        kind: 'SerializationException',
        status: 400,
        message: 'Records must be a list of records, got an object',
      },
    });
  });
});

describe('parseDescribeDeliveryStream', () => {
  it('reads the stream name', () => {
    expect(parseDescribeDeliveryStream({ DeliveryStreamName: stream })).toEqual({
      ok: true,
      value: { deliveryStreamName: stream },
    });
  });
});

describe('parseListDeliveryStreams', () => {
  it.each([
    { payload: {}, value: { limit: 10 } },
    {
      payload: { Limit: 1, DeliveryStreamType: 'DirectPut' },
      value: { limit: 1, deliveryStreamType: 'DirectPut' },
    },
    {
      payload: { ExclusiveStartDeliveryStreamName: 'engagementdb-conversations' },
      value: { limit: 10, exclusiveStartDeliveryStreamName: 'engagementdb-conversations' },
    },
  ])('reads $payload', ({ payload, value }) => {
    expect(parseListDeliveryStreams(payload)).toEqual({ ok: true, value });
  });

  it.each([
    { limit: 0, kind: 'ValidationException' },
    { limit: 10_001, kind: 'ValidationException' },
    { limit: '5', kind: 'SerializationException' },
  ])('refuses Limit $limit with $kind', ({ limit, kind }) => {
    const result = parseListDeliveryStreams({ Limit: limit });

    expect(!result.ok && result.error.kind).toBe(kind);
  });
});
