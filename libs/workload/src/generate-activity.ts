import type { TableName } from '@engagement-db/canonical-model';
import type { TimedRecord } from './internal/demo-cast';
import { emailJourney } from './internal/email-activity';
import { mediaJourney, textJourney, voiceJourney } from './internal/messaging-activity';
import { SeededRandom } from './internal/seeded-random';
import { whatsappJourney } from './internal/whatsapp-activity';

export type { TimedRecord };

/** How much activity to make and for which day. */
export interface ActivityOptions {
  /** The number of raw engagement events to make (conversation records come on top). */
  readonly events: number;
  /** Any moment of the day the activity leads up to; the default is now. Same day, same activity. */
  readonly day?: Date;
  /** Another seed for the same window, for more activity than one piece holds; by default one from the day and `events`. */
  readonly seed?: number;
}

/**
 * Raw AWS records of every channel over the 14 days before a day, in time order, by the table they
 * are for: `activity[table]`.
 */
export interface Activity extends Readonly<Record<TableName, readonly TimedRecord[]>> {
  /** SES, SMS, MMS, Voice and WhatsApp raw events, as their services write them. */
  readonly events: readonly TimedRecord[];
  /** Chatbot conversation records. */
  readonly conversations: readonly TimedRecord[];
  /** The window covered, epoch milliseconds: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly seed: number;
}

/** Days of activity {@link generateActivity} covers. */
export const activityDays = 14;
const dayMs = 86_400_000;
// The last sends leave a little time for their deliveries; later follow-ups have "not happened yet".
const lastSendMs = 10 * 60_000;

type Journey = 'email' | 'text' | 'media' | 'voice' | 'whatsapp';
const journeyMix: readonly (readonly [Journey, number])[] = [
  ['email', 40],
  ['text', 25],
  ['whatsapp', 22],
  ['voice', 7],
  ['media', 6],
];

/**
 * Deterministic, realistic activity: sends, deliveries, bounces, complaints, opens and clicks by
 * email; SMS, MMS and Voice with countries, carriers, prices and failures; WhatsApp statuses,
 * replies and failures; chatbot conversation records. The seed comes from the day and the event
 * count, so the same day gives the same input (and a second ingest of it is recognised as a
 * duplicate). The demo's data and every benchmark's input.
 *
 * @example const { events, conversations } = generateActivity({ events: 20_000 });
 */
export function generateActivity(options: ActivityOptions): Activity {
  const day = options.day ?? new Date();
  const to = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const from = to - activityDays * dayMs;
  const seed = options.seed ?? (Math.floor(to / dayMs) * 2_654_435_761 + options.events) >>> 0;
  const random = new SeededRandom(seed);

  const events: TimedRecord[] = [];
  const conversations: TimedRecord[] = [];
  const happened = (event: TimedRecord): boolean => event.timestamp < to;
  while (events.length < options.events) {
    const start = journeyStart(random, from, to - lastSendMs);
    const kind = random.weighted(journeyMix);
    if (kind === 'whatsapp') {
      const journey = whatsappJourney(random, start);
      events.push(...journey.events.filter(happened));
      conversations.push(...journey.conversations.filter(happened));
    } else {
      const journey = { email: emailJourney, text: textJourney, media: mediaJourney, voice: voiceJourney }[
        kind
      ];
      events.push(...journey(random, start).filter(happened));
    }
  }
  events.length = options.events;
  const byTime = (a: TimedRecord, b: TimedRecord): number => a.timestamp - b.timestamp;
  return { events: events.sort(byTime), conversations: conversations.sort(byTime), from, to, seed };
}

/** A send time in [from, until), busier in the (UTC) daytime than at night. */
function journeyStart(random: SeededRandom, from: number, until: number): number {
  for (;;) {
    const at = from + Math.floor(random.next() * (until - from));
    const hour = new Date(at).getUTCHours();
    const busyness = hour >= 8 && hour < 20 ? 1 : hour >= 6 && hour < 23 ? 0.5 : 0.15;
    if (random.chance(busyness)) return at;
  }
}

// Events per piece of generateEventTexts: a few tens of megabytes of text at a time.
const piecesOf = 50_000;

/**
 * The texts of `events` raw events of activity over the 14 days before `day`, made 50,000 at a time
 * (each piece with its own seed), so that a benchmark can stream millions of them without holding
 * them all. Deterministic for the same day and count.
 *
 * @example for (const text of generateEventTexts(1_000_000)) file.write(`${text}\n`);
 */
export function* generateEventTexts(events: number, day: Date = new Date()): Generator<string> {
  for (let piece = 0; piece * piecesOf < events; piece += 1) {
    const count = Math.min(piecesOf, events - piece * piecesOf);
    for (const event of generateActivity({ events: count, day, seed: piece + 1 }).events) yield event.text;
  }
}
