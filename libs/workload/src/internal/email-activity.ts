import {
  type TimedRecord,
  demoAccountId,
  demoCampaigns,
  demoOrganizations,
  demoRegion,
  emailAddressOf,
  isoOf,
} from './demo-cast';
import type { SeededRandom } from './seeded-random';

const senders = [
  { source: 'Example Store <news@example.com>', domain: 'example.com' },
  { source: 'Example Store Orders <orders@example.com>', domain: 'example.com' },
  { source: 'Example Rewards <rewards@rewards.example.com>', domain: 'rewards.example.com' },
] as const;

const sampleQueryRecipient = 'example@email.com';
const sampleQueryMessageId = '01000193c01f592c-ad6098e1-7247-448b-9dce-5e4213584ab6-000000';

const subjects: Record<(typeof demoCampaigns)[number], string> = {
  'spring-sale': 'Spring sale: 20% off everything this weekend',
  'welcome-series': 'Welcome to Example Store \u2014 here is 10% off your first order',
  'order-updates': 'Your order has shipped',
  'loyalty-rewards': 'You have new reward points waiting',
  'win-back': 'We miss you \u2014 come back for free shipping',
};

/**
 * The SES events (event publishing format) of one email: Send, then Delivery, Bounce or Reject,
 * and for delivered mail maybe Open, Click and Complaint.
 */
export function emailJourney(random: SeededRandom, sentAt: number): TimedRecord[] {
  const sender = random.pick(senders);
  const campaign = random.pick(demoCampaigns);
  // Now and then the address and the message id the documented sample queries look for, so that
  // they find something in the demo lake and in the benchmarks' lakes.
  const recipient = random.chance(0.002) ? sampleQueryRecipient : emailAddressOf(random);
  const messageId = random.chance(0.0005)
    ? sampleQueryMessageId
    : `0100${random.hex(12)}-${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}-000000`;
  const mail = {
    timestamp: isoOf(sentAt),
    source: sender.source,
    sourceArn: `arn:aws:ses:${demoRegion}:${demoAccountId}:identity/${sender.domain}`,
    sendingAccountId: demoAccountId,
    messageId,
    destination: [recipient],
    headersTruncated: false,
    commonHeaders: { from: [sender.source], to: [recipient], messageId, subject: subjects[campaign] },
    tags: {
      'ses:operation': ['SendEmail'],
      'ses:configuration-set': ['engagementdb-configuration-set'],
      'ses:from-domain': [sender.domain],
      organizationId: [random.pick(demoOrganizations)],
      campaign: [campaign],
    },
  };
  const event = (timestamp: number, eventType: string, detail: Record<string, unknown>): TimedRecord => ({
    timestamp,
    text: JSON.stringify({ eventType, mail, ...detail }),
  });

  const events = [event(sentAt, 'Send', { send: {} })];
  const outcome = random.weighted([
    ['delivered', 94],
    ['bounced', 4.5],
    ['rejected', 0.5],
    ['delayed', 1],
  ] as const);
  if (outcome === 'rejected') return [event(sentAt, 'Reject', { reject: { reason: 'Bad content' } })];
  if (outcome === 'bounced') {
    const at = sentAt + random.int(800, 4000);
    const permanent = random.chance(0.7);
    events.push(
      event(at, 'Bounce', {
        bounce: {
          feedbackId: `0100${random.hex(12)}-${random.hex(8)}-000000`,
          bounceType: permanent ? 'Permanent' : 'Transient',
          bounceSubType: permanent
            ? random.pick(['General', 'NoEmail', 'Suppressed'])
            : random.pick(['MailboxFull', 'General']),
          bouncedRecipients: [
            { emailAddress: recipient, action: 'failed', status: permanent ? '5.1.1' : '4.2.2' },
          ],
          timestamp: isoOf(at),
          reportingMTA: 'dns; a8-12.smtp-out.amazonses.com',
        },
      }),
    );
    return events;
  }
  let deliveredAt = sentAt + random.int(600, 5000);
  if (outcome === 'delayed') {
    const delayedAt = sentAt + random.int(60_000, 600_000);
    events.push(
      event(delayedAt, 'DeliveryDelay', {
        deliveryDelay: {
          timestamp: isoOf(delayedAt),
          delayType: 'TransientCommunicationFailure',
          expirationTime: isoOf(delayedAt + 86_400_000),
          delayedRecipients: [
            { emailAddress: recipient, status: '4.4.7', diagnosticCode: 'smtp; 421 4.4.7 try again later' },
          ],
        },
      }),
    );
    deliveredAt = delayedAt + random.int(300_000, 3_600_000);
  }
  events.push(
    event(deliveredAt, 'Delivery', {
      delivery: {
        timestamp: isoOf(deliveredAt),
        processingTimeMillis: deliveredAt - sentAt,
        recipients: [recipient],
        smtpResponse: '250 2.0.0 OK',
        reportingMTA: 'a8-21.smtp-out.amazonses.com',
      },
    }),
  );
  if (random.chance(0.45)) {
    const openedAt = deliveredAt + random.int(60_000, 6 * 3_600_000);
    const userAgent = random.pick([
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
    ]);
    const ipAddress = `203.0.113.${random.int(1, 254)}`;
    events.push(event(openedAt, 'Open', { open: { timestamp: isoOf(openedAt), userAgent, ipAddress } }));
    if (random.chance(0.3)) {
      const clickedAt = openedAt + random.int(2_000, 120_000);
      events.push(
        event(clickedAt, 'Click', {
          click: {
            timestamp: isoOf(clickedAt),
            ipAddress,
            userAgent,
            link: `https://www.example.com/${campaign}?utm_source=email&utm_campaign=${campaign}`,
            linkTags: {
              linkName: [random.pick(['hero-banner', 'footer', 'product-grid'])],
              campaign: [campaign],
            },
          },
        }),
      );
    }
  }
  if (random.chance(0.004)) {
    const complainedAt = deliveredAt + random.int(3_600_000, 12 * 3_600_000);
    events.push(
      event(complainedAt, 'Complaint', {
        complaint: {
          feedbackId: `0100${random.hex(12)}-${random.hex(8)}-000000`,
          complainedRecipients: [{ emailAddress: recipient }],
          timestamp: isoOf(complainedAt),
          userAgent: 'Yahoo!-Mail-Feedback/2.0',
          complaintFeedbackType: 'abuse',
          arrivalDate: isoOf(complainedAt - 1500),
        },
      }),
    );
  }
  return events;
}
