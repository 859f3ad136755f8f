import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CorpusGroup, corpusDirectory, loadMixedEvents } from '@engagement-db/corpus';
import { Envelope, EventSource, detectSource, fanOutWhatsApp, unwrapEnvelope } from '../src/index';
import type { EventSource as EventSourceName } from '../src/index';

// The raw event corpus every project tests with: real shapes as AWS and Meta publish them.

interface Expected {
  readonly envelope: Envelope;
  readonly source: EventSourceName;
  /** `type:status` of each WhatsApp unit, in order. */
  readonly units?: readonly string[];
}

const none = Envelope.none;
const ses = (envelope: Envelope = none): Expected => ({ envelope, source: EventSource.sesEvent });
const eum = (envelope: Envelope = none): Expected => ({ envelope, source: EventSource.endUserMessaging });
const whatsapp = (units: string[], envelope: Envelope = none): Expected => ({
  envelope,
  source: EventSource.whatsapp,
  units,
});
const conversation: Expected = { envelope: none, source: EventSource.unknown };

const expectedByFile: Record<string, Expected> = {
  'conversations/conversation-event.json': conversation,
  'conversations/outbound-bedrockkb.json': conversation,
  'conversations/outbound-llm.json': conversation,
  'malformed/conversation-wrong-types.json': conversation,
  'malformed/sms-timestamp-wrong-type.json': eum(),
  'malformed/unknown-shape.json': { envelope: none, source: EventSource.unknown },
  'mms/media-delivered.json': eum(),
  'mms/media-successful.json': eum(),
  'ses/bounce-notification-sns.json': { envelope: Envelope.sns, source: EventSource.sesNotification },
  'ses/bounce.json': ses(),
  'ses/click.json': ses(),
  'ses/complaint.json': ses(),
  'ses/delivery-delay.json': ses(),
  'ses/delivery-eventbridge.json': ses(Envelope.eventBridge),
  'ses/delivery.json': ses(),
  'ses/open.json': ses(),
  'ses/reject.json': ses(),
  'ses/rendering-failure.json': ses(),
  'ses/send.json': ses(),
  'ses/subject-with-quotes.json': ses(),
  'ses/subscription.json': ses(),
  'sms/delivered-eventbridge.json': eum(Envelope.eventBridge),
  'sms/text-blocked.json': eum(),
  'sms/text-carrier-unreachable.json': eum(),
  'sms/text-delivered.json': eum(),
  'sms/text-pending.json': eum(),
  'sms/text-successful.json': eum(),
  'voice/voice-busy.json': eum(),
  'voice/voice-completed.json': eum(),
  'voice/voice-initiated.json': eum(),
  'whatsapp/inbound-image.json': whatsapp(['message:image']),
  'whatsapp/inbound-reaction.json': whatsapp(['message:reaction']),
  'whatsapp/inbound-text.json': whatsapp(['message:text']),
  'whatsapp/status-delivered.json': whatsapp(['messageStatus:delivered']),
  'whatsapp/status-failed.json': whatsapp(['messageStatus:failed']),
  'whatsapp/status-read.json': whatsapp(['messageStatus:read']),
  'whatsapp/status-sent-sns.json': whatsapp(['messageStatus:sent'], Envelope.sns),
  'whatsapp/status-sent.json': whatsapp(['messageStatus:sent']),
  'whatsapp/two-changes.json': whatsapp([
    'message:text',
    'messageStatus:read',
    'messageStatus:delivered',
    'messageStatus:failed',
  ]),
  'whatsapp/two-statuses.json': whatsapp(['messageStatus:delivered', 'messageStatus:read']),
};

function corpusFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return corpusFiles(path);
    return /\.(json|txt)$/.test(entry.name) ? [relative(corpusDirectory, path)] : [];
  });
}

function detect(text: string): Expected | { failure: string } {
  const unwrapped = unwrapEnvelope(JSON.parse(text), text);
  if (!unwrapped.ok) return { failure: unwrapped.error.path };
  const { envelope, event } = unwrapped.value;
  const source = detectSource(event);
  if (source !== EventSource.whatsapp) return { envelope, source };
  const fanOut = fanOutWhatsApp(event);
  if (!fanOut.ok) return { failure: fanOut.error.path };
  return { envelope, source, units: fanOut.value.map((unit) => `${unit.type}:${unit.status}`) };
}

describe('the raw fixture corpus', () => {
  it('holds exactly the files this table describes, plus the broken ones', () => {
    const files = Object.values(CorpusGroup)
      .flatMap((group) => corpusFiles(join(corpusDirectory, group)))
      .sort();

    expect(files).toEqual(
      [
        ...Object.keys(expectedByFile),
        'malformed/broken-json.txt',
        'malformed/sns-message-not-json.json',
        'malformed/whatsapp-entry-not-json.json',
      ].sort(),
    );
  });

  it.each(Object.entries(expectedByFile))('detects %s', (file, expected) => {
    const text = readFileSync(join(corpusDirectory, file), 'utf8');

    expect(detect(text)).toEqual(expected);
  });

  it.each([
    ['malformed/sns-message-not-json.json', '$.Message'],
    ['malformed/whatsapp-entry-not-json.json', '$.whatsAppWebhookEntry'],
  ])('fails on %s at %s', (file, path) => {
    const text = readFileSync(join(corpusDirectory, file), 'utf8');

    expect(detect(text)).toEqual({ failure: path });
  });

  it('finds the SES bounce inside the SNS notification as rawEventText', () => {
    const text = readFileSync(join(corpusDirectory, 'ses/bounce-notification-sns.json'), 'utf8');
    const outer = JSON.parse(text) as { Message: string };

    const result = unwrapEnvelope(JSON.parse(text), text);

    expect(result.ok && result.value.rawEventText).toBe(outer.Message);
    expect(result.ok && result.value.event.notificationType).toBe('Bounce');
  });

  it('holds in mixed.jsonl every well-formed event file but the conversations, one compact line each', () => {
    const lines = loadMixedEvents();
    const eventFiles = Object.keys(expectedByFile)
      .filter((file) => !file.startsWith('malformed/') && !file.startsWith('conversations/'))
      .sort();

    const fromFiles = eventFiles.map((file) =>
      JSON.stringify(JSON.parse(readFileSync(join(corpusDirectory, file), 'utf8'))),
    );

    expect(lines).toEqual(fromFiles);
    expect(lines.map((line) => detect(line))).toEqual(eventFiles.map((file) => expectedByFile[file]));
  });
});
