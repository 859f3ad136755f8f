import { Channel } from '@engagement-db/canonical-model';
import { createMapper } from '@engagement-db/mapper';
import { demoDays, generateDemoActivity } from './demo-activity';

const day = new Date(Date.UTC(2025, 2, 15, 13, 45));

describe('generateDemoActivity', () => {
  const activity = generateDemoActivity({ events: 3000, day });
  const mapper = createMapper();

  it('makes exactly the number of events asked for, in time order, within the 14 days before the day', () => {
    const times = activity.events.map((e) => e.timestamp);

    expect(activity.events).toHaveLength(3000);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(activity.to).toBe(Date.UTC(2025, 2, 15));
    expect(activity.from).toBe(activity.to - demoDays * 86_400_000);
    expect(times.every((t) => t >= activity.from && t < activity.to)).toBe(true);
  });

  it('makes raw events the mapper maps without failure, for every channel', () => {
    const results = activity.events.map((e) => mapper.mapEvent(e.text));
    const failed = results.flatMap((r, i) => (r.ok ? [] : [`${i}: ${r.failure.kind}: ${r.failure.message}`]));
    const channels = new Set(results.flatMap((r) => (r.ok ? r.events.map((row) => row.channel) : [])));

    expect(failed).toEqual([]);
    expect([...channels].sort()).toEqual(Object.values(Channel).sort());
  });

  it('makes chatbot conversation records the mapper accepts', () => {
    const results = activity.conversations.map((c) => mapper.mapConversation(c.text));

    expect(activity.conversations.length).toBeGreaterThan(0);
    expect(results.filter((r) => !r.ok)).toEqual([]);
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
    const sameDay = generateDemoActivity({ events: 3000, day: new Date(Date.UTC(2025, 2, 15, 0, 5)) });
    const nextDay = generateDemoActivity({ events: 3000, day: new Date(Date.UTC(2025, 2, 16, 0, 5)) });

    expect(sameDay.events).toEqual(activity.events);
    expect(nextDay.events[0].text).not.toBe(activity.events[0].text);
  });
});
