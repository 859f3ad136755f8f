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
  /** Sends only in this part of the window (part `index` of `of` equal parts); by default the whole window. */
  readonly slice?: { readonly index: number; readonly of: number };
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

  const { index, of } = options.slice ?? { index: 0, of: 1 };
  if (!Number.isSafeInteger(of) || of < 1 || !Number.isSafeInteger(index) || index < 0 || index >= of)
    throw new RangeError(
      `generateActivity: slice ${index} of ${of}, expected a whole index from 0 to of - 1`,
    );

  const events: TimedRecord[] = [];
  const conversations: TimedRecord[] = [];
  const happened = (event: TimedRecord): boolean => event.timestamp < to;
  while (events.length < options.events) {
    const start = journeyStart(random, sliceStart(from, to, index, of), sliceStart(from, to, index + 1, of));
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

/** Where part `index` of `of` of the window's send times begins (part `of` is where sends end). */
function sliceStart(from: number, to: number, index: number, of: number): number {
  return from + Math.floor(((to - lastSendMs - from) * index) / of);
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
 * The texts of `events` raw events of activity over the 14 days before `day`, in time order as a
 * service delivers them, made 50,000 at a time so that a benchmark can stream millions of them
 * without holding them all. Each piece has its own seed and sends in its own slice of the window;
 * its events past that slice (deliveries, opens and replies of its late sends) wait, in order, to
 * be merged with the next pieces'. Deterministic for the same day and count.
 *
 * @example for (const text of generateEventTexts(1_000_000)) file.write(`${text}\n`);
 */
export function* generateEventTexts(events: number, day: Date = new Date()): Generator<string> {
  for (const event of generateTimedEvents(events, day)) yield event.text;
}

/** `generateEventTexts` with each event's time, made `pieceSize` events at a time. */
export function* generateTimedEvents(
  events: number,
  day: Date,
  pieceSize = piecesOf,
): Generator<TimedRecord> {
  const pieces = Math.ceil(events / pieceSize);
  let waiting: TimedRecord[] = [];
  for (let piece = 0; piece < pieces; piece += 1) {
    const count = Math.min(pieceSize, events - piece * pieceSize);
    const activity = generateActivity({
      events: count,
      day,
      seed: piece + 1,
      slice: { index: piece, of: pieces },
    });
    const merged = mergedByTime(waiting, activity.events);
    // Every later piece sends at or after the end of this slice, so what comes before it is final.
    const sliceEnd =
      piece === pieces - 1 ? Infinity : sliceStart(activity.from, activity.to, piece + 1, pieces);
    let at = 0;
    for (; at < merged.length && merged[at].timestamp < sliceEnd; at += 1) yield merged[at];
    waiting = merged.slice(at);
  }
}

function mergedByTime(a: readonly TimedRecord[], b: readonly TimedRecord[]): TimedRecord[] {
  const merged: TimedRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    merged.push(j >= b.length || (i < a.length && a[i].timestamp <= b[j].timestamp) ? a[i++] : b[j++]);
  }
  return merged;
}
