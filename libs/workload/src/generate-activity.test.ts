import { activityDays, generateActivity, generateEventTexts, generateTimedEvents } from './generate-activity';

const day = new Date(Date.UTC(2025, 2, 15, 13, 45));

describe('generateActivity', () => {
  const activity = generateActivity({ events: 3000, day });

  it('makes exactly the number of events asked for, in time order, within the 14 days before the day', () => {
    const times = activity.events.map((e) => e.timestamp);

    expect(activity.events).toHaveLength(3000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(activity.to).toBe(Date.UTC(2025, 2, 15));
    expect(activity.from).toBe(activity.to - activityDays * 86_400_000);
    expect(times.every((t) => t >= activity.from && t < activity.to)).toBe(true);
  });

  it('makes chatbot conversation records beside the events, by table name', () => {
    expect(activity.conversations.length).toBeGreaterThan(0);
    expect(activity['conversations']).toBe(activity.conversations);
    expect(activity.conversations.every((c) => 'direction' in JSON.parse(c.text))).toBe(true);
  });

  it.each([
    ['bounces', 'Bounce'],
    ['complaints', 'Complaint'],
    ['opens', 'Open'],
    ['clicks', 'Click'],
    ['SMS failures', 'TEXT_BLOCKED'],
    ['voice calls completed', 'VOICE_COMPLETED'],
    ['WhatsApp reads', '\\"status\\":\\"read\\"'],
    ['WhatsApp failures', '\\"status\\":\\"failed\\"'],
    ['WhatsApp replies', '\\"messages\\":'],
  ])('includes %s', (_name, marker) => {
    expect(activity.events.some((e) => e.text.includes(marker))).toBe(true);
  });

  it('makes the same activity for any moment of the same day, and other activity for another day', () => {
    const sameDay = generateActivity({ events: 3000, day: new Date(Date.UTC(2025, 2, 15, 0, 5)) });
    const nextDay = generateActivity({ events: 3000, day: new Date(Date.UTC(2025, 2, 16, 0, 5)) });

    expect(sameDay.events).toEqual(activity.events);
    expect(nextDay.events[0].text).not.toBe(activity.events[0].text);
  });

  it('sends now and then to the address and with the message id the documented sample queries look for', () => {
    const more = generateActivity({ events: 20_000, day });

    expect(more.events.some((e) => JSON.parse(e.text).mail?.destination?.[0] === 'example@email.com')).toBe(
      true,
    );
    expect(
      more.events.some(
        (e) =>
          JSON.parse(e.text).mail?.messageId ===
          '01000193c01f592c-ad6098e1-7247-448b-9dce-5e4213584ab6-000000',
      ),
    ).toBe(true);
  });

  it('makes other activity over the same window for another seed', () => {
    const other = generateActivity({ events: 3000, day, seed: 7 });

    expect(other.seed).toBe(7);
    expect([other.from, other.to]).toEqual([activity.from, activity.to]);
    expect(other.events[0].text).not.toBe(activity.events[0].text);
  });
});

describe('generateEventTexts', () => {
  it('streams pieces, each its own seed, merged into one time-ordered stream', () => {
    const events = [...generateTimedEvents(10_010, day, 2_000)];

    expect(events).toHaveLength(10_010);
    for (let i = 1; i < events.length; i += 1) {
      if (events[i].timestamp < events[i - 1].timestamp)
        throw new Error(`event ${i} at ${events[i].timestamp} comes after one at ${events[i - 1].timestamp}`);
    }
    const texts = new Set(events.map((event) => event.text));
    const pieces = [0, 1, 2, 3, 4].map((index) =>
      generateActivity({ events: 2_000, day, seed: index + 1, slice: { index, of: 6 } }),
    );
    const lastPiece = generateActivity({ events: 10, day, seed: 6, slice: { index: 5, of: 6 } });
    for (const piece of [...pieces, lastPiece])
      expect(piece.events.every((event) => texts.has(event.text))).toBe(true);
    expect(events[0].timestamp).toBe(pieces[0].events[0].timestamp);
    // Pieces overlap in time: a piece's late events come after the next piece's first sends.
    expect(pieces[0].events.at(-1)?.timestamp).toBeGreaterThan(pieces[1].events[0].timestamp);
  });

  it('is the one piece itself for at most 50,000 events, and the same texts for the same day', () => {
    const texts = [...generateEventTexts(5_000, day)];

    expect(texts).toEqual(generateActivity({ events: 5_000, day, seed: 1 }).events.map((e) => e.text));
    expect([...generateEventTexts(5_000, new Date(day.getTime() + 60_000))]).toEqual(texts);
  });

  it('sends each slice of the window in its own part of it', () => {
    const slices = [0, 1, 2, 3].map((index) =>
      generateActivity({ events: 2_000, day, seed: 5, slice: { index, of: 4 } }),
    );
    const sendsOf = (activity: (typeof slices)[number]): number => activity.events[0].timestamp;

    for (let i = 1; i < slices.length; i += 1)
      expect(sendsOf(slices[i])).toBeGreaterThanOrEqual(sendsOf(slices[i - 1]));
    expect(sendsOf(slices[3])).toBeGreaterThanOrEqual(
      slices[3].from + ((slices[3].to - slices[3].from) * 3) / 4 - 10 * 60_000,
    );
    expect(() => generateActivity({ events: 10, day, slice: { index: 4, of: 4 } })).toThrow(/slice 4 of 4/);
  });
});
