import { loadCorpus } from '@engagement-db/corpus';
import { captureOutput } from '../test/captured-output';
import { decodedRows, firehoseEvent } from '../test/firehose-event';
import { transformerFromEnvironment } from './transformer-environment';

const corpus = loadCorpus();
const sesEvent = corpus.find((c) => c.group === 'ses' && c.table === 'events' && c.expected !== null)!;
const conversation = corpus.find((c) => c.table === 'conversations' && c.expected !== null)!;

describe('transformerFromEnvironment', () => {
  it('maps with the bundled templates and no AWS call when nothing is configured', async () => {
    const transform = transformerFromEnvironment({});

    const { value: result } = await captureOutput(() => transform(firehoseEvent([sesEvent.rawText])));

    expect(result.records[0].result).toBe('Ok');
    expect(decodedRows(result.records[0])).toEqual(sesEvent.expected);
  });

  it('writes ACCOUNT_ID on the rows of events that carry no account id', async () => {
    const sms = corpus.find((c) => c.name === 'sms/text-delivered')!;
    const event = JSON.parse(sms.rawText) as { context?: Record<string, unknown> };
    delete event.context?.accountId;
    delete event.context?.accountID;
    const accountless = firehoseEvent([JSON.stringify(event)]);

    const configured = await captureOutput(() =>
      transformerFromEnvironment({ ACCOUNT_ID: '444455556666' })(accountless),
    );
    const unconfigured = await captureOutput(() => transformerFromEnvironment({})(accountless));

    expect(decodedRows(configured.value.records[0])).toEqual([
      expect.objectContaining({ accountId: '444455556666' }),
    ]);
    expect(decodedRows(unconfigured.value.records[0])).toEqual([
      expect.objectContaining({ accountId: null }),
    ]);
  });

  it.each(['CANONICAL_TABLE', 'RECORD_STREAM'])(
    'maps conversations whatever the stream name when %s is conversations',
    async (variable) => {
      const transform = transformerFromEnvironment({ [variable]: 'conversations' });

      const { value: result } = await captureOutput(() =>
        transform(firehoseEvent([conversation.rawText], 'events')),
      );

      expect(decodedRows(result.records[0])).toEqual(conversation.expected);
    },
  );

  it.each([
    [
      { TEMPLATES_BUCKET: 'templates', TEMPLATES_TTL_SECONDS: 'soon' },
      'TEMPLATES_TTL_SECONDS is "soon"; expected a number of seconds of 0 or more. Set it to e.g. 300, or unset it for the default of 300.',
    ],
    [
      { CANONICAL_TABLE: 'chats' },
      'CANONICAL_TABLE is "chats"; expected one of events, conversations. ' +
        "Set it to the table the delivery stream feeds, or unset it to take it from the stream's name.",
    ],
    [
      { RECORD_STREAM: 'chats' },
      'RECORD_STREAM is "chats"; expected one of events, conversations. ' +
        "Set it to the table the delivery stream feeds, or unset it to take it from the stream's name.",
    ],
  ])('throws TransformerConfigurationError when the environment is %p', (env, message) => {
    expect(() => transformerFromEnvironment(env)).toThrow(
      expect.objectContaining({ name: 'TransformerConfigurationError', message }),
    );
  });

  it('fails the invocation with TemplateLoadError when BUNDLED_TEMPLATES_DIR does not exist', async () => {
    const transform = transformerFromEnvironment({
      BUNDLED_TEMPLATES_DIR: '/nonexistent/engagement-templates',
    });

    await expect(transform(firehoseEvent([sesEvent.rawText]))).rejects.toMatchObject({
      name: 'TemplateLoadError',
      message: expect.stringContaining('/nonexistent/engagement-templates/'),
    });
  });
});
