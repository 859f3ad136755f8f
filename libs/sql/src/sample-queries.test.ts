import { type CanonicalEvent, duckdbColumnsOf, eventTable } from '@engagement-db/canonical-model';
import { sampleQueries } from './sample-queries';
import { canonicalEvent, makeTempFolder, removeTempFolder, writeLake } from '../test/test-lake';
import { type QueryEngine, openQueryEngine } from './index';

const hour = 3_600_000;
const day = 24 * hour;
const now = Date.now();
const ago = (days: number, hours = 0) => now - days * day - hours * hour - 17 * 60_000;
const troubleshotMessageId = '01000193c01f592c-ad6098e1-7247-448b-9dce-5e4213584ab6-000000';

const sms = (
  days: number,
  accountId: string | null,
  organizationId: string | null,
  data: Record<string, string>,
) =>
  canonicalEvent({
    timestamp: ago(days),
    channel: 'text',
    type: 'TEXT',
    status: 'DELIVERED',
    accountId,
    organizationId,
    channelData: data,
  });
const email = (
  days: number,
  status: string,
  destinationAddress: string[],
  subject: string | null,
  type: string | null = status,
) =>
  canonicalEvent({
    timestamp: ago(days),
    channel: 'email',
    type,
    status,
    destinationAddress,
    channelData: subject === null ? null : { subject },
  });
const whatsapp = (days: number, status: string, type = 'messageStatus') =>
  canonicalEvent({ timestamp: ago(days), channel: 'whatsapp', type, status });

const events: CanonicalEvent[] = [
  sms(2, 'acct-a', 'org-1', { isocountrycode: 'US', totalmessageprice: '0.0058', totalcarrierfee: '0.0021' }),
  sms(3, 'acct-a', null, { isocountrycode: 'US', totalmessageprice: '0.0058' }),
  sms(5, 'acct-a', 'org-1', { isocountrycode: 'DE', totalmessageprice: '0.0950', totalcarrierfee: '0.0100' }),
  sms(12, 'acct-b', 'org-2', { isocountrycode: 'DE', totalmessageprice: '0.0950' }),
  sms(4, 'acct-b', null, { isocountrycode: 'FR' }),
  sms(45, 'acct-a', 'org-1', { isocountrycode: 'US', totalmessageprice: '1.0000' }),
  sms(6, null, 'org-3', { isocountrycode: 'US', totalmessageprice: '0.0100', totalcarrierfee: '0.0005' }),
  canonicalEvent({
    timestamp: ago(2),
    channel: 'media',
    channelData: { isocountrycode: 'US', totalmessageprice: '0.0200' },
  }),
  email(1, 'Send', ['example@email.com'], 'Welcome'),
  { ...email(1, 'Delivery', ['example@email.com'], 'Welcome'), timestamp: ago(1) + 60_000 },
  email(8, 'Bounce', ['example@email.com', 'cc@email.com'], 'Invoice'),
  email(8, 'Complaint', ['other@email.com'], 'Invoice'),
  email(3, 'Send', [], 'No recipient'),
  email(2, 'Send', ['example@email.com'], null),
  email(40, 'Send', ['example@email.com'], 'Too old'),
  email(2, 'Send', ['example@email.com'], 'Untyped', null),
  { ...email(2, 'Send', ['someone@email.com'], 'Hello'), messageId: troubleshotMessageId },
  { ...email(1, 'Delivery', ['someone@email.com'], 'Hello'), messageId: troubleshotMessageId },
  { ...email(10, 'Open', ['someone@email.com'], 'Hello'), messageId: troubleshotMessageId },
  whatsapp(1, 'accepted'),
  whatsapp(1, 'sent'),
  whatsapp(1, 'delivered'),
  whatsapp(2, 'read'),
  whatsapp(2, 'read'),
  whatsapp(3, 'error'),
  whatsapp(3, 'text', 'message'),
  whatsapp(9, 'delivered'),
  whatsapp(35, 'read'),
  canonicalEvent({ timestamp: ago(2), channel: 'voice', status: 'COMPLETED' }),
  canonicalEvent({ timestamp: ago(20), channel: 'voice', status: 'COMPLETED' }),
];

const hourStartOf = (timestamp: number) => Math.floor(timestamp / hour) * hour;
const hourText = (timestamp: number) =>
  new Date(hourStartOf(timestamp)).toISOString().replace('T', ' ').slice(0, 23);
const within = (days: number) => (e: CanonicalEvent) => hourStartOf(e.timestamp) >= now - days * day;
const tenThousandths = (price: string | undefined) =>
  price === undefined ? 0 : Math.round(Number(price) * 10_000);

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

function smsCosts(rows: readonly CanonicalEvent[]) {
  return {
    total_sms_cost:
      rows.reduce((sum, e) => sum + tenThousandths(e.channelData?.totalmessageprice), 0) / 10_000,
    total_carrier_cost:
      rows.reduce((sum, e) => sum + tenThousandths(e.channelData?.totalcarrierfee), 0) / 10_000,
  };
}

function countsByHour(rows: readonly CanonicalEvent[], statuses: Record<string, string>) {
  return [...groupBy(rows, (e) => hourText(e.timestamp))]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([timeWindow, inHour]) => ({
      time_window: timeWindow,
      ...Object.fromEntries(
        Object.entries(statuses).map(([column, status]) => [
          column,
          inHour.filter((e) => e.status === status).length,
        ]),
      ),
    }));
}

describe('the documented sample queries', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    lake = makeTempFolder('sample-queries');
    await writeLake(lake, { events });
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(lake);
  });

  async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
    const result = await engine.query(sql);
    if (!result.ok) throw new Error(result.error.message);
    return result.value.rows;
  }

  it('troubleshoots a messageId over the last 7 days, in time order', async () => {
    const expected = events
      .filter((e) => e.messageId === troubleshotMessageId && within(7)(e))
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((e) => ({
        messageid: e.messageId,
        status: e.status,
        timestamp: e.timestamp,
        ingest_timestamp: hourText(e.timestamp),
      }));

    const result = await engine.query(sampleQueries.troubleshootMessageId.sql);

    expect(result.ok && result.value.columns.map((c) => c.name)).toEqual([
      ...duckdbColumnsOf(eventTable).map((c) => c.name),
      'ingest_timestamp',
    ]);
    expect(result.ok && result.value.rows).toEqual(expected.map((fields) => expect.objectContaining(fields)));
    expect(expected).toHaveLength(2);
  });

  it('counts events by channel over the last 30 days, largest first', async () => {
    const expected = [...groupBy(events.filter(within(30)), (e) => e.channel)]
      .map(([channel, rows]) => [channel, rows.length])
      .sort((a, b) => Number(b[1]) - Number(a[1]));

    const rows = await rowsOf(sampleQueries.countByChannel.sql);

    expect(rows.map((row) => Object.values(row))).toEqual(expected);
  });

  it('sums SMS costs by country over the last 30 days', async () => {
    const priced = events.filter(
      (e) =>
        e.channel === 'text' &&
        e.channelData?.isocountrycode &&
        e.channelData.totalmessageprice &&
        within(30)(e),
    );
    const expected = [...groupBy(priced, (e) => e.channelData?.isocountrycode ?? '')]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([country, rows]) => ({ country, ...smsCosts(rows) }));

    const rows = await rowsOf(sampleQueries.smsCostsByCountry.sql);

    expect(rows).toEqual(
      expected.map((e) => ({
        ...e,
        total_sms_cost: expect.closeTo(e.total_sms_cost, 8),
        total_carrier_cost: expect.closeTo(e.total_carrier_cost, 8),
      })),
    );
    expect(rows.map((r) => r.country)).toEqual(['DE', 'US']);
  });

  it('sums SMS costs by account and organization over the last 30 days', async () => {
    const priced = events.filter(
      (e) =>
        e.channel === 'text' && e.accountId !== null && e.channelData?.totalmessageprice && within(30)(e),
    );
    const keyOf = (e: CanonicalEvent) => `${e.accountId}\u0000${e.organizationId ?? 'unknown'}`;
    const expected = [...groupBy(priced, keyOf)]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, rows]) => {
        const [accountid, organizationid] = key.split('\u0000');
        const costs = smsCosts(rows);
        return {
          accountid,
          organizationid,
          total_messages: rows.length,
          total_sms_cost: expect.closeTo(costs.total_sms_cost, 8),
          total_carrier_cost: expect.closeTo(costs.total_carrier_cost, 8),
        };
      });

    const rows = await rowsOf(sampleQueries.smsCostsByAccount.sql);

    expect(rows).toEqual(expected);
    expect(rows).toHaveLength(3);
  });

  it('lists the subject lines sent to one address over the last 30 days, newest first', async () => {
    const expected = events
      .filter(
        (e) =>
          e.channel === 'email' &&
          e.destinationAddress?.[0] === 'example@email.com' &&
          e.channelData?.subject !== undefined &&
          within(30)(e),
      )
      .sort((a, b) => b.timestamp - a.timestamp)
      .map((e) => ({
        email_address: 'example@email.com',
        subject_line: e.channelData?.subject,
        sent_timestamp: e.timestamp,
      }));

    const rows = await rowsOf(sampleQueries.emailSubjectLines.sql);

    expect(rows).toEqual(expected);
    expect(rows.length).toBeGreaterThan(1);
  });

  it('counts email statuses per hour over the last 30 days', async () => {
    const expected = countsByHour(
      events.filter((e) => e.channel === 'email' && e.type !== null && within(30)(e)),
      {
        sent_count: 'Send',
        delivered_count: 'Delivery',
        bounced_count: 'Bounce',
        complaint_count: 'Complaint',
      },
    );

    const rows = await rowsOf(sampleQueries.emailPerformanceByHour.sql);

    expect(rows).toEqual(expected);
  });

  it('counts WhatsApp statuses per hour over the last 30 days', async () => {
    const expected = countsByHour(
      events.filter((e) => e.channel === 'whatsapp' && e.type !== null && within(30)(e)),
      {
        accepted_count: 'accepted',
        sent_count: 'sent',
        delivered_count: 'delivered',
        read_count: 'read',
        error_count: 'error',
      },
    );

    const rows = await rowsOf(sampleQueries.whatsAppPerformanceByHour.sql);

    expect(rows).toEqual(expected);
  });
});
