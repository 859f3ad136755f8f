import {
  type TimedRecord,
  countryOf,
  demoAccountId,
  demoCampaigns,
  demoOrganizations,
  demoRegion,
  personNameOf,
  phoneNumberOf,
} from './demo-cast';
import type { SeededRandom } from './seeded-random';

const wabaId = '364711246704513';
const phoneNumberId = '106540352242922';
const displayPhoneNumber = '15550783881';
const knowledgeBaseId = 'KB7X2M9QLP';

const failures = [
  { code: 131047, title: 'Re-engagement message', weight: 4 },
  { code: 131026, title: 'Message undeliverable', weight: 3 },
  { code: 131049, title: 'Meta chose not to deliver', weight: 2 },
  { code: 130472, title: "User's number is part of an experiment", weight: 1 },
] as const;

const questions = [
  [
    'Hi! Does the spring sale include the blue jacket?',
    'Yes, the blue jacket is 20% off until Sunday.',
    'bedrockkb',
  ],
  ['Where is my order?', 'Your order shipped yesterday; the tracking link is in your email.', 'bedrockkb'],
  ['Can I change my delivery address?', 'You can change it until the order ships, in My orders.', 'llm'],
  ['How do I use my reward points?', 'Points are applied at checkout: 100 points take $1 off.', 'bedrockkb'],
  ['Stop', 'You will not get more messages from us. Reply START to subscribe again.', 'llm'],
] as const;

/** The WhatsApp events and chatbot conversation records of one outbound WhatsApp message. */
export interface WhatsAppJourney {
  readonly events: TimedRecord[];
  readonly conversations: TimedRecord[];
}

/** WhatsApp nanosecond-precision ISO time, as AWS End User Messaging Social writes message_timestamp. */
function nanoIsoOf(random: SeededRandom, epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('Z', `${random.digits(6)}Z`);
}

function eventOf(random: SeededRandom, timestamp: number, value: Record<string, unknown>): TimedRecord {
  const entry = {
    id: wabaId,
    changes: [
      {
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: displayPhoneNumber, phone_number_id: phoneNumberId },
          ...value,
        },
        field: 'messages',
      },
    ],
  };
  return {
    timestamp,
    text: JSON.stringify({
      context: {
        MetaWabaIds: [
          { wabaId, arn: `arn:aws:social-messaging:${demoRegion}:${demoAccountId}:waba/${random.hex(32)}` },
        ],
        MetaPhoneNumberIds: [
          {
            metaPhoneNumberId: phoneNumberId,
            arn: `arn:aws:social-messaging:${demoRegion}:${demoAccountId}:phone-number-id/${random.hex(32)}`,
          },
        ],
      },
      whatsAppWebhookEntry: JSON.stringify(entry),
      aws_account_id: demoAccountId,
      message_timestamp: nanoIsoOf(random, timestamp),
      messageId: random.uuid(),
    }),
  };
}

const seconds = (epochMillis: number): string => String(Math.floor(epochMillis / 1000));

/**
 * One outbound WhatsApp message: sent, delivered and read statuses (or failed), sometimes an
 * inbound reply, and for a text reply the chatbot's conversation records.
 */
export function whatsappJourney(random: SeededRandom, sentAt: number): WhatsAppJourney {
  const country = countryOf(random);
  const recipient = phoneNumberOf(random, country, false);
  const wamid = `wamid.${Buffer.from(random.hex(40)).toString('base64')}`;
  const category = random.weighted([
    ['marketing', 50],
    ['utility', 40],
    ['authentication', 10],
  ] as const);
  const campaign = random.pick(demoCampaigns);
  const conversation = {
    id: random.hex(32),
    expiration_timestamp: seconds(sentAt + 86_400_000),
    origin: { type: category },
  };
  const pricing = { billable: true, pricing_model: 'PMP', category, type: 'regular' };
  const callback = `campaign=${campaign};customer=C-${random.digits(5)}`;
  const status = (at: number, name: string, extra: Record<string, unknown> = {}): TimedRecord =>
    eventOf(random, at, {
      statuses: [
        {
          id: wamid,
          status: name,
          timestamp: seconds(at),
          recipient_id: recipient,
          ...extra,
          biz_opaque_callback_data: callback,
        },
      ],
    });

  const events: TimedRecord[] = [];
  const conversations: TimedRecord[] = [];
  if (random.chance(0.05)) {
    const failure = random.weighted(failures.map((f) => [f, f.weight] as const));
    const at = sentAt + random.int(500, 5000);
    events.push(
      status(at, 'failed', {
        errors: [{ code: failure.code, title: failure.title, message: failure.title }],
      }),
    );
    return { events, conversations };
  }
  events.push(status(sentAt, 'sent', { conversation, pricing }));
  if (!random.chance(0.95)) return { events, conversations };
  const deliveredAt = sentAt + random.int(1000, 60_000);
  events.push(status(deliveredAt, 'delivered', { conversation, pricing }));
  if (!random.chance(0.7)) return { events, conversations };
  const readAt = deliveredAt + random.int(10_000, 4 * 3_600_000);
  events.push(status(readAt, 'read', { conversation, pricing }));
  if (!random.chance(0.3)) return { events, conversations };

  const repliedAt = readAt + random.int(5_000, 600_000);
  const contacts = [{ profile: { name: personNameOf(random) }, wa_id: recipient }];
  const replyId = `wamid.${Buffer.from(random.hex(40)).toString('base64')}`;
  if (random.chance(0.35)) {
    events.push(
      eventOf(random, repliedAt, {
        contacts,
        messages: [
          {
            from: recipient,
            id: replyId,
            timestamp: seconds(repliedAt),
            type: 'reaction',
            reaction: {
              message_id: wamid,
              emoji: random.pick(['\u{1F44D}', '\u2764\uFE0F', '\u{1F602}', '\u{1F62E}']),
            },
          },
        ],
      }),
    );
    return { events, conversations };
  }
  const [question, answer, source] = random.pick(questions);
  events.push(
    eventOf(random, repliedAt, {
      contacts,
      messages: [
        {
          from: recipient,
          id: replyId,
          timestamp: seconds(repliedAt),
          type: 'text',
          text: { body: question },
        },
      ],
    }),
  );
  const sessionId = `sess-${random.hex(8)}-${random.hex(4)}`;
  const organizationId = random.pick(demoOrganizations);
  const record = (
    at: number,
    direction: string,
    message: string,
    from: string,
    to: string,
    messageId: string,
  ): TimedRecord => ({
    timestamp: at,
    text: JSON.stringify({
      accountId: demoAccountId,
      organizationId,
      messageId,
      sendingAddress: from,
      destinationAddress: to,
      channel: 'whatsapp',
      direction,
      knowledgeBaseId,
      sessionId,
      source,
      timestamp: at,
      tags: { campaign, environment: 'demo' },
      message,
    }),
  });
  const answeredAt = repliedAt + random.int(1500, 6000);
  conversations.push(
    record(repliedAt, 'inbound', question, `+${recipient}`, `+${displayPhoneNumber}`, replyId),
  );
  conversations.push(
    record(
      answeredAt,
      'outbound',
      answer,
      `+${displayPhoneNumber}`,
      `+${recipient}`,
      `wamid.${Buffer.from(random.hex(40)).toString('base64')}`,
    ),
  );
  return { events, conversations };
}
