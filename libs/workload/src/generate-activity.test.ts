import { activityDays, generateActivity, generateEventTexts } from './generate-activity';

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
  it('streams the events of pieces of 50,000, each piece its own seed', () => {
    const texts = [...generateEventTexts(50_003, day)];

    expect(texts).toHaveLength(50_003);
    expect(texts.slice(0, 3)).toEqual(
      generateActivity({ events: 50_000, day, seed: 1 })
        .events.slice(0, 3)
        .map((e) => e.text),
    );
    expect(texts.slice(50_000)).toEqual(
      generateActivity({ events: 3, day, seed: 2 }).events.map((e) => e.text),
    );
  });
});
