import fc from 'fast-check';
import type { Context, FirehoseTransformationEvent } from 'aws-lambda';
import { partitionHourOf } from '@engagement-db/canonical-model';
import {
  MappingFailureKind,
  compileTemplates,
  createMapper,
  defaultTemplateSources,
} from '@engagement-db/mapper';
import { loadCorpus } from '@engagement-db/corpus';
import { captureOutput, logLines, metricDocuments } from '../test/captured-output';
import { decodedRows, firehoseEvent } from '../test/firehose-event';
import { defaultSourcesWith } from '../test/template-edits';
import { createTransformer } from './transformer';

const corpus = loadCorpus();
const mapped = corpus.filter((c) => c.expected !== null && c.expected.length > 0);
const malformed = corpus.filter((c) => c.group === 'malformed');
const eventCases = mapped.filter((c) => c.table === 'events');
const conversationCases = mapped.filter((c) => c.table === 'conversations');
const failureKinds: readonly string[] = Object.values(MappingFailureKind);

/** A WhatsApp event whose webhook entry holds neither messages nor statuses: nothing to map. */
function emptyWhatsAppEvent(): string {
  const fixture = corpus.find((c) => c.group === 'whatsapp' && c.expected !== null);
  if (!fixture) throw new Error('the fixture corpus has no WhatsApp event');
  const event = JSON.parse(fixture.rawText) as { whatsAppWebhookEntry: string };
  const entry = JSON.parse(event.whatsAppWebhookEntry) as { changes: { value: Record<string, unknown> }[] };
  for (const change of entry.changes) {
    delete change.value.messages;
    delete change.value.statuses;
  }
  return JSON.stringify({ ...event, whatsAppWebhookEntry: JSON.stringify(entry) });
}

describe('createTransformer', () => {
  const transform = createTransformer();

  it('has fixtures of every kind to run on', () => {
    expect(eventCases.length).toBeGreaterThan(10);
    expect(conversationCases.length).toBeGreaterThan(0);
    expect(malformed.length).toBeGreaterThan(0);
  });

  it.each(eventCases.map((c) => [c.name, c] as const))(
    'returns Ok with the expected rows and their hour when the event is %s',
    async (_name, fixture) => {
      const event = firehoseEvent([fixture.rawText]);

      const { value: result } = await captureOutput(() => transform(event));

      const [record] = result.records;
      expect(record.recordId).toBe(event.records[0].recordId);
      expect(record.result).toBe('Ok');
      expect(decodedRows(record)).toEqual(fixture.expected);
      expect(record.metadata?.partitionKeys).toEqual({ ...partitionHourOf(fixture.expected![0].timestamp) });
    },
  );

  it.each(conversationCases.map((c) => [c.name, c] as const))(
    'maps %s as a conversation when the delivery stream is the conversations stream',
    async (_name, fixture) => {
      const event = firehoseEvent([fixture.rawText], 'conversations');

      const { value: result } = await captureOutput(() => transform(event));

      const [record] = result.records;
      expect(record.result).toBe('Ok');
      expect(decodedRows(record)).toEqual(fixture.expected);
      expect(record.metadata?.partitionKeys).toEqual({ ...partitionHourOf(fixture.expected![0].timestamp) });
    },
  );

  it('writes each row of a WhatsApp fan-out on its own line of one record', async () => {
    const fanOut = eventCases.find((c) => c.expected!.length > 1);
    if (!fanOut) throw new Error('the fixture corpus has no event that maps to several rows');

    const { value: result } = await captureOutput(() => transform(firehoseEvent([fanOut.rawText])));

    const text = Buffer.from(result.records[0].data!, 'base64').toString('utf8');
    expect(text.split('\n')).toHaveLength(fanOut.expected!.length + 1);
    expect(decodedRows(result.records[0])).toEqual(fanOut.expected);
  });

  it('encodes records larger than the buffers it reuses, and the small ones after them, as their rows', async () => {
    const small = eventCases[0];
    const recipients = Array.from({ length: 20_000 }, (_, i) => `recipient-${i}@example.net`);
    const large = JSON.stringify({
      eventType: 'Delivery',
      mail: { timestamp: '2025-03-14T15:09:26.017Z', messageId: 'm-1', destination: recipients },
      delivery: { timestamp: '2025-03-14T15:09:27.017Z', recipients, smtpResponse: '250 OK' },
    });
    const event = firehoseEvent([small.rawText, large, small.rawText]);

    const { value: result } = await captureOutput(() => transform(event));

    const expected = createMapper().map('events', large);
    if (!expected.ok) throw new Error(expected.error.message);
    expect(event.records[1].data.length).toBeGreaterThan(256 << 10);
    expect(result.records[1].data!.length).toBeGreaterThan(1 << 20);
    expect(result.records.map((record) => decodedRows(record))).toEqual([
      small.expected,
      JSON.parse(JSON.stringify(expected.value)),
      small.expected,
    ]);
  });

  it('logs once per template set which templates are interpreted, and why', async () => {
    const templates = compileTemplates(
      defaultSourcesWith({ ses: `#macro(m)#end\n${defaultTemplateSources().ses}` }),
    );
    const withMacro = createTransformer({ templateSource: { templates: async () => templates } });
    const ses = eventCases.find((c) => c.group === 'ses')!;

    const { value: results, lines } = await captureOutput(async () => [
      await withMacro(firehoseEvent([ses.rawText])),
      await withMacro(firehoseEvent([ses.rawText])),
    ]);

    expect(logLines(lines, 'template interpreted')).toEqual([
      expect.objectContaining({
        level: 'WARN',
        notice: 'template ses (ses.vm) is interpreted, not compiled: #macro (line 1, column 1)',
      }),
    ]);
    expect(results.map((result) => decodedRows(result.records[0]))).toEqual([ses.expected, ses.expected]);
  });

  it.each(malformed.map((c) => [c.name, c] as const))(
    'returns ProcessingFailed with the original data and logs why when the input is %s',
    async (_name, fixture) => {
      const event = firehoseEvent([fixture.rawText], fixture.table);

      const { value: result, lines } = await captureOutput(() => transform(event));

      expect(result.records).toEqual([
        { recordId: event.records[0].recordId, result: 'ProcessingFailed', data: event.records[0].data },
      ]);
      const [failure] = logLines(lines, 'record failed');
      expect(failure).toMatchObject({
        level: 'ERROR',
        service: 'firehose-transformer',
        recordId: event.records[0].recordId,
      });
      const error = failure.error as Record<string, unknown>;
      expect(failureKinds).toContain(error.kind);
      expect(error.message).toEqual(expect.stringMatching(/\w/));
    },
  );

  it('logs the field path and the template of a record whose row breaks the schema', async () => {
    const fixture = corpus.find((c) => c.name === 'malformed/sms-timestamp-wrong-type')!;

    const { lines } = await captureOutput(() => transform(firehoseEvent([fixture.rawText])));

    expect(logLines(lines, 'record failed')[0].error).toEqual({
      kind: MappingFailureKind.invalidRecord,
      message: expect.stringContaining('template messaging: $.timestamp'),
      path: '$.timestamp',
      template: 'messaging',
    });
  });

  it('returns Dropped without data when an event maps to no rows', async () => {
    const event = firehoseEvent([emptyWhatsAppEvent()]);

    const { value: result } = await captureOutput(() => transform(event));

    expect(result.records).toEqual([{ recordId: event.records[0].recordId, result: 'Dropped' }]);
  });

  it('keeps every other record of a batch intact when some records are bad', async () => {
    const texts = [
      eventCases[0].rawText,
      malformed[0].rawText,
      'not json',
      eventCases[1].rawText,
      emptyWhatsAppEvent(),
    ];
    const event = firehoseEvent(texts);

    const { value: result } = await captureOutput(() => transform(event));

    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      [event.records[0].recordId, 'Ok'],
      [event.records[1].recordId, 'ProcessingFailed'],
      [event.records[2].recordId, 'ProcessingFailed'],
      [event.records[3].recordId, 'Ok'],
      [event.records[4].recordId, 'Dropped'],
    ]);
    expect(decodedRows(result.records[3])).toEqual(eventCases[1].expected);
  });

  it('logs one summary line and publishes the counts per channel and error kind once per invocation', async () => {
    const ses = eventCases.filter((c) => c.group === 'ses').slice(0, 2);
    const texts = [...ses.map((c) => c.rawText), 'not json', '{"shape":"unknown"}', emptyWhatsAppEvent()];

    const { lines } = await captureOutput(() => transform(firehoseEvent(texts)));

    const summaries = logLines(lines, 'batch transformed');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      recordsIn: 5,
      recordsOk: 2,
      recordsDropped: 1,
      recordsFailed: 2,
      rowsOut: 2,
    });
    const documents = metricDocuments(lines).map((d) => {
      const { _aws, ...values } = d as {
        _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
      };
      return {
        namespace: _aws.CloudWatchMetrics[0].Namespace,
        dimensions: _aws.CloudWatchMetrics[0].Dimensions,
        values,
      };
    });
    expect(documents).toEqual([
      {
        namespace: 'EngagementDb',
        dimensions: [['service']],
        values: {
          service: 'firehose-transformer',
          RecordsIn: 5,
          RecordsOk: 2,
          RecordsDropped: 1,
          RecordsFailed: 2,
        },
      },
      {
        namespace: 'EngagementDb',
        dimensions: [['service', 'channel']],
        values: {
          service: 'firehose-transformer',
          channel: 'email',
          RecordsIn: 2,
          RecordsOk: 2,
          RecordsDropped: 0,
          RecordsFailed: 0,
        },
      },
      {
        namespace: 'EngagementDb',
        dimensions: [['service', 'channel']],
        values: {
          service: 'firehose-transformer',
          channel: 'unknown',
          RecordsIn: 3,
          RecordsOk: 0,
          RecordsDropped: 1,
          RecordsFailed: 2,
        },
      },
      {
        namespace: 'EngagementDb',
        dimensions: [['service', 'errorKind']],
        values: {
          service: 'firehose-transformer',
          errorKind: MappingFailureKind.unparseableJson,
          RecordsFailed: 1,
        },
      },
      {
        namespace: 'EngagementDb',
        dimensions: [['service', 'errorKind']],
        values: {
          service: 'firehose-transformer',
          errorKind: MappingFailureKind.unknownSource,
          RecordsFailed: 1,
        },
      },
    ]);
  });

  it('adds the Lambda request id to its log lines when given the Lambda context', async () => {
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'engagementdb-firehose-transformer',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:engagementdb-firehose-transformer',
      memoryLimitInMB: '512',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
      logGroupName: '/aws/lambda/engagementdb-firehose-transformer',
      logStreamName: '2025/03/14/[$LATEST]abcdef',
      getRemainingTimeInMillis: () => 60_000,
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };

    const { lines } = await captureOutput(() => createTransformer()(firehoseEvent(['not json']), context));

    for (const line of logLines(lines)) {
      expect(line).toMatchObject({
        function_request_id: context.awsRequestId,
        function_name: context.functionName,
      });
    }
    expect(logLines(lines)).toHaveLength(2);
  });

  it('answers an empty batch with no records and zero counts', async () => {
    const { value: result, lines } = await captureOutput(() => transform(firehoseEvent([])));

    expect(result).toEqual({ records: [] });
    expect(metricDocuments(lines)[0]).toMatchObject({
      RecordsIn: 0,
      RecordsOk: 0,
      RecordsDropped: 0,
      RecordsFailed: 0,
    });
  });

  it('returns exactly one record per input record, same recordId, in order, for any batch', async () => {
    const knownTexts = corpus.map((c) => c.rawText);
    const data = fc.oneof(
      fc.constantFrom(...knownTexts).map((text) => Buffer.from(text).toString('base64')),
      fc.json().map((json) => Buffer.from(json).toString('base64')),
      fc.string({ unit: 'grapheme' }).map((text) => Buffer.from(text).toString('base64')),
      fc.string(),
    );
    const records = fc.array(
      fc.record({
        recordId: fc.oneof(fc.string(), fc.constantFrom('same', 'same-again')),
        data,
        approximateArrivalTimestamp: fc.nat(),
      }),
      { maxLength: 20 },
    );

    await captureOutput(() =>
      fc.assert(
        fc.asyncProperty(records, async (batch) => {
          const event: FirehoseTransformationEvent = { ...firehoseEvent([]), records: batch };

          const result = await transform(event);

          expect(result.records.map((r) => r.recordId)).toEqual(batch.map((r) => r.recordId));
          result.records.forEach((record, index) => {
            if (record.result === 'Ok')
              expect(Object.keys(record.metadata?.partitionKeys ?? {})).toEqual([
                'year',
                'month',
                'day',
                'hour',
              ]);
            else if (record.result === 'ProcessingFailed') expect(record.data).toBe(batch[index].data);
            else expect(record.result).toBe('Dropped');
          });
        }),
        { numRuns: 150 },
      ),
    );
  });
});
