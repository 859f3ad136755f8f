import {
  type DemoCountry,
  type TimedRecord,
  countryOf,
  demoAccountId,
  demoCampaigns,
  demoOrganizations,
  phoneNumberOf,
  priceOf,
} from './demo-cast';
import type { SeededRandom } from './seeded-random';

const textOrigination = '+12065550152';
const mediaOrigination = '+18445550152';
const voiceOrigination = '+12065550199';

interface MessageBase {
  readonly country: DemoCountry;
  readonly destination: string;
  readonly messageId: string;
  readonly requestedAt: number;
  readonly context: Record<string, string>;
}

function messageBase(random: SeededRandom, sentAt: number): MessageBase {
  const country = countryOf(random);
  return {
    country,
    destination: phoneNumberOf(random, country),
    messageId: random.uuid(),
    requestedAt: sentAt,
    context: {
      accountId: demoAccountId,
      organizationId: random.pick(demoOrganizations),
      campaign: random.pick(demoCampaigns),
    },
  };
}

function eventOf(
  base: MessageBase,
  origination: string,
  timestamp: number,
  eventType: string,
  messageStatus: string,
  description: string,
  isFinal: boolean,
  extra: Record<string, unknown>,
): TimedRecord {
  return {
    timestamp,
    text: JSON.stringify({
      eventType,
      eventVersion: '1.0',
      eventTimestamp: timestamp,
      isFinal,
      originationPhoneNumber: origination,
      destinationPhoneNumber: base.destination,
      isoCountryCode: base.country.isoCountryCode,
      isInternationalSend: base.country.isoCountryCode !== 'US',
      messageId: base.messageId,
      messageRequestTimestamp: base.requestedAt,
      messageType: 'TRANSACTIONAL',
      messageStatus,
      messageStatusDescription: description,
      context: base.context,
      ...extra,
    }),
  };
}

const textFailures = [
  ['TEXT_BLOCKED', 'BLOCKED', 'Destination phone number blocked from receiving this message', 3],
  [
    'TEXT_CARRIER_UNREACHABLE',
    'CARRIER_UNREACHABLE',
    'Phone carrier is currently unreachable/unavailable',
    2,
  ],
  ['TEXT_INVALID', 'INVALID', 'Invalid destination phone number', 2],
  ['TEXT_SPAM', 'SPAM', 'Message was identified as spam by the carrier', 1],
  ['TEXT_TTL_EXPIRED', 'TTL_EXPIRED', 'Message could not be delivered within the time to live', 1],
] as const;

/** The End User Messaging events of one SMS: SUCCESSFUL then DELIVERED, or a failure. */
export function textJourney(random: SeededRandom, sentAt: number): TimedRecord[] {
  const base = messageBase(random, sentAt);
  const carrier = random.pick(base.country.carriers);
  const parts = random.weighted([
    [1, 80],
    [2, 15],
    [3, 5],
  ] as const);
  const priced = {
    messageEncoding: 'GSM',
    mcc: carrier.mcc,
    mnc: carrier.mnc,
    carrierName: carrier.name,
    totalMessageParts: parts,
    totalMessagePrice: priceOf(base.country.smsPrice * parts),
    totalCarrierFee: priceOf(base.country.carrierFee * parts),
  };
  const acceptedAt = sentAt + random.int(200, 900);
  if (random.chance(0.06)) {
    const [eventType, status, description] = random.weighted(textFailures.map((f) => [f, f[3]] as const));
    return [eventOf(base, textOrigination, acceptedAt, eventType, status, description, true, priced)];
  }
  const events = [
    eventOf(
      base,
      textOrigination,
      acceptedAt,
      'TEXT_SUCCESSFUL',
      'SUCCESSFUL',
      'Message has been accepted by phone carrier',
      false,
      priced,
    ),
  ];
  if (random.chance(0.93)) {
    const deliveredAt = acceptedAt + random.int(800, 30_000);
    events.push(
      eventOf(
        base,
        textOrigination,
        deliveredAt,
        'TEXT_DELIVERED',
        'DELIVERED',
        'Message has been accepted by phone',
        true,
        priced,
      ),
    );
  }
  return events;
}

/** The End User Messaging events of one MMS. */
export function mediaJourney(random: SeededRandom, sentAt: number): TimedRecord[] {
  const base = messageBase(random, sentAt);
  const carrier = random.pick(base.country.carriers);
  const priced = {
    mcc: carrier.mcc,
    mnc: carrier.mnc,
    carrierName: carrier.name,
    totalMessageParts: 1,
    totalMessagePrice: priceOf(base.country.smsPrice * 3.4),
    totalCarrierFee: priceOf(base.country.carrierFee),
  };
  const acceptedAt = sentAt + random.int(300, 1500);
  if (random.chance(0.05)) {
    return [
      eventOf(
        base,
        mediaOrigination,
        acceptedAt,
        'MEDIA_FILE_INACCESSIBLE',
        'FILE_INACCESSIBLE',
        'The media file could not be read',
        true,
        priced,
      ),
    ];
  }
  const events = [
    eventOf(
      base,
      mediaOrigination,
      acceptedAt,
      'MEDIA_SUCCESSFUL',
      'SUCCESSFUL',
      'Message has been accepted by phone carrier',
      false,
      priced,
    ),
  ];
  if (random.chance(0.92)) {
    const deliveredAt = acceptedAt + random.int(1500, 40_000);
    events.push(
      eventOf(
        base,
        mediaOrigination,
        deliveredAt,
        'MEDIA_DELIVERED',
        'DELIVERED',
        'Message has been accepted by phone',
        true,
        priced,
      ),
    );
  }
  return events;
}

/** The End User Messaging events of one voice call: INITIATED, RINGING, then an outcome. */
export function voiceJourney(random: SeededRandom, sentAt: number): TimedRecord[] {
  const base = messageBase(random, sentAt);
  const voice = { messageEncoding: 'SSML' };
  const initiatedAt = sentAt + random.int(200, 800);
  const ringingAt = initiatedAt + random.int(1000, 4000);
  const events = [
    eventOf(
      base,
      voiceOrigination,
      initiatedAt,
      'VOICE_INITIATED',
      'INITIATED',
      'Call has been initiated',
      false,
      voice,
    ),
    eventOf(base, voiceOrigination, ringingAt, 'VOICE_RINGING', 'RINGING', 'Call is ringing', false, voice),
  ];
  const outcome = random.weighted([
    ['COMPLETED', 75],
    ['BUSY', 8],
    ['NO_ANSWER', 14],
    ['FAILED', 3],
  ] as const);
  const endedAt = ringingAt + random.int(5_000, 90_000);
  if (outcome === 'COMPLETED') {
    const seconds = Math.round((endedAt - ringingAt) / 1000);
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    events.push(
      eventOf(base, voiceOrigination, endedAt, 'VOICE_COMPLETED', 'COMPLETED', 'Call has completed', true, {
        ...voice,
        callDurationInSeconds: seconds,
        totalDurationInMinutes: minutes,
        totalMessagePrice: priceOf(base.country.voicePricePerMinute * minutes),
      }),
    );
  } else {
    const descriptions = {
      BUSY: 'Call was busy',
      NO_ANSWER: 'Call was not answered',
      FAILED: 'Call failed',
    } as const;
    events.push(
      eventOf(base, voiceOrigination, endedAt, `VOICE_${outcome}`, outcome, descriptions[outcome], true, {
        ...voice,
        totalMessagePrice: 0,
      }),
    );
  }
  return events;
}
