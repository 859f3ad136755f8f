import type { TimedEvent } from './demo-cast';
import { emailJourney } from './email-activity';
import { mediaJourney, textJourney, voiceJourney } from './messaging-activity';
import { SeededRandom } from './seeded-random';
import { whatsappJourney } from './whatsapp-activity';

/** How much demo activity to make and for which day. */
export interface DemoActivityOptions {
  /** The number of raw engagement events to make (conversation records come on top). */
  readonly events: number;
  /** Any moment of the day the activity leads up to; the default is now. Same day, same activity. */
  readonly day?: Date;
}

/** Raw AWS events of every channel over the 14 days before a day, in time order. */
export interface DemoActivity {
  /** SES, SMS, MMS, Voice and WhatsApp raw events, as their services write them. */
  readonly events: readonly TimedEvent[];
  /** Chatbot conversation records, for the conversations stream. */
  readonly conversations: readonly TimedEvent[];
  /** The window covered, epoch milliseconds: [from, to). */
  readonly from: number;
  readonly to: number;
  readonly seed: number;
}

/** Days of activity the demo covers. */
export const demoDays = 14;
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
 * Deterministic demo activity: sends, deliveries, bounces, complaints, opens and clicks by email;
 * SMS, MMS and Voice with countries, carriers, prices and failures; WhatsApp statuses, replies
 * and failures; chatbot conversation records. The seed comes from the day and the event count,
 * so the same day gives the same input (and a second ingest of it is recognised as a duplicate).
 *
 * @example const { events, conversations } = generateDemoActivity({ events: 20_000 });
 */
export function generateDemoActivity(options: DemoActivityOptions): DemoActivity {
  const day = options.day ?? new Date();
  const to = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const from = to - demoDays * dayMs;
  const seed = (Math.floor(to / dayMs) * 2_654_435_761 + options.events) >>> 0;
  const random = new SeededRandom(seed);

  const events: TimedEvent[] = [];
  const conversations: TimedEvent[] = [];
  const happened = (event: TimedEvent): boolean => event.timestamp < to;
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
  const byTime = (a: TimedEvent, b: TimedEvent): number => a.timestamp - b.timestamp;
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
