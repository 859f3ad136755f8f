import { type QueryEngine, openQueryEngine } from '@engagement-db/sql';
import {
  type PhoneMessage,
  type SesMessage,
  type WhatsAppMessage,
  ingestRawEvents,
  makeTempFolder,
  phoneEvent,
  removeTempFolder,
  sesEvent,
  whatsappStatus,
} from '@engagement-db/sql/testing';
import {
  FilterKind,
  MeasureKind,
  type Sheet,
  VisualKind,
  engagementDashboard,
  filterOptionsQuery,
  visualQuery,
} from './index';

// Every KPI of every sheet, and some charts, on a lake made from raw events by the real mapper and
// ingest, against numbers worked out by hand from the events below: on two days, 2025-03-14 (day 1)
// and 2025-03-15 (day 2).

const second = 1000;
const minute = 60 * second;
const day1 = Date.UTC(2025, 2, 14, 15, 0, 0);
const day2 = Date.UTC(2025, 2, 15, 9, 0, 0);
const onlyDay1 = { date: { from: '2025-03-14', to: '2025-03-14' } };
const onlyDay2 = { date: { from: '2025-03-15', to: '2025-03-15' } };
// A campaign tag as a user may write it: quotes, SQL and non-ASCII text.
const oddCampaign = "l'été 🌞'; DROP VIEW email_message_status; --";

const springSale = { subject: 'Spring sale', campaign: 'spring-sale', configurationSet: 'marketing' };
const e1: SesMessage = { ...springSale, messageId: 'e1', sentAt: day1, to: 'jane.doe@gmail.com' };
const e2: SesMessage = {
  ...springSale,
  messageId: 'e2',
  sentAt: day1 + second,
  to: 'no-such-user@yahoo.com',
};
const e3: SesMessage = {
  messageId: 'e3',
  sentAt: day1 + 5 * second,
  to: 'bob@example.net',
  subject: 'Receipt',
};
const e4: SesMessage = { ...springSale, messageId: 'e4', sentAt: day2, to: 'jane.doe@gmail.com' };
const e5: SesMessage = {
  messageId: 'e5',
  sentAt: day2 + second,
  to: 'sam@gmail.com',
  subject: 'Été',
  campaign: oddCampaign,
  configurationSet: 'transactional',
};
const openOfE4 = sesEvent(e4, 'Open', day2 + 5 * minute, { ipAddress: '203.0.113.9', userAgent: 'Mail' });

const s1: PhoneMessage = {
  messageId: 's1',
  from: '+12065550152',
  to: '+14255550101',
  country: 'US',
  carrier: 'T-Mobile USA',
};
const s2: PhoneMessage = { ...s1, messageId: 's2', to: '+14255550102', carrier: 'Verizon Wireless' };
const s3: PhoneMessage = {
  ...s1,
  messageId: 's3',
  to: '+14165550103',
  country: 'CA',
  carrier: 'Rogers Wireless',
};
const s1Price = { totalMessageParts: 1, totalMessagePrice: 0.00645, totalCarrierFee: 0.00302 };
const deliveryOfS1 = phoneEvent(s1, 'TEXT_DELIVERED', day1 + 33 * second, { isFinal: true, ...s1Price });

const m1: PhoneMessage = {
  messageId: 'm1',
  from: '+18445550152',
  to: '+14255550104',
  country: 'US',
  carrier: 'Verizon Wireless',
};
const m2: PhoneMessage = { ...m1, messageId: 'm2', to: '+14255550105' };

const v1: PhoneMessage = { messageId: 'v1', from: '+12065550199', to: '+14255550103', country: 'US' };
const v2: PhoneMessage = {
  ...v1,
  messageId: 'v2',
  to: '+447700900123',
  country: 'GB',
  carrier: 'Vodafone UK',
};

const w1: WhatsAppMessage = {
  messageId: 'wamid.1',
  to: '+16505550001',
  conversationId: 'conv-1',
  originType: 'marketing',
};
const w2: WhatsAppMessage = { messageId: 'wamid.2', to: '+16505550002' };
const w3 = { to: '+16505550003', conversationId: 'conv-3', originType: 'service' };

const rawEvents = [
  // Day 1. e1 sent, delivered, opened, clicked; e2 bounced; e3 delivered, then complained about.
  sesEvent(e1, 'Send', day1),
  sesEvent(e1, 'Delivery', day1 + 2 * second, { smtpResponse: '250 OK' }),
  sesEvent(e1, 'Open', day1 + 10 * minute, { ipAddress: '203.0.113.7', userAgent: 'Mail' }),
  sesEvent(e1, 'Click', day1 + 11 * minute, {
    ipAddress: '203.0.113.7',
    userAgent: 'Mail',
    link: 'https://www.example.com/sale',
  }),
  sesEvent(e2, 'Send', day1 + second),
  sesEvent(e2, 'Bounce', day1 + 3 * second, { bounceType: 'Permanent', bounceSubType: 'General' }),
  sesEvent(e3, 'Send', day1 + 5 * second),
  sesEvent(e3, 'Delivery', day1 + 7 * second, { smtpResponse: '250 OK' }),
  sesEvent(e3, 'Complaint', day1 + 20 * minute, { complaintFeedbackType: 'abuse' }),
  // Day 2. e4 (to e1's recipient) delivered and opened, the open delivered twice; e5 delivered.
  sesEvent(e4, 'Send', day2),
  sesEvent(e4, 'Delivery', day2 + 2 * second, { smtpResponse: '250 OK' }),
  openOfE4,
  openOfE4,
  sesEvent(e5, 'Send', day2 + second),
  sesEvent(e5, 'Delivery', day2 + 3 * second, { smtpResponse: '250 OK' }),

  // SMS. Day 1: s1 pending, then delivered (twice); s2 blocked. Day 2: s3, promotional, to Canada.
  phoneEvent(s1, 'TEXT_PENDING', day1 + 30 * second, { isFinal: false, ...s1Price }),
  deliveryOfS1,
  deliveryOfS1,
  phoneEvent(s2, 'TEXT_BLOCKED', day1 + 40 * second, {
    isFinal: true,
    totalMessageParts: 2,
    totalMessagePrice: 0.00581,
    totalCarrierFee: 0.00302,
  }),
  phoneEvent(s3, 'TEXT_DELIVERED', day2 + 30 * second, {
    isFinal: true,
    messageType: 'PROMOTIONAL',
    totalMessageParts: 3,
    totalMessagePrice: 0.0075,
    totalCarrierFee: 0,
  }),

  // MMS. Day 1: m1 delivered. Day 2: m2 refused for its file type.
  phoneEvent(m1, 'MEDIA_DELIVERED', day1 + 60 * second, {
    isFinal: true,
    totalMessageParts: 1,
    totalMessagePrice: 0.0198,
    totalCarrierFee: 0.0025,
  }),
  phoneEvent(m2, 'MEDIA_FILE_TYPE_UNSUPPORTED', day2 + 61 * second, {
    isFinal: true,
    totalMessageParts: 1,
    totalMessagePrice: 0.0198,
    totalCarrierFee: 0,
  }),

  // Voice. Day 1: v1 initiated, then completed after 27 s. Day 2: v2 to the UK initiated, ringing, busy.
  phoneEvent(v1, 'VOICE_INITIATED', day1 + 50 * second, { isFinal: false }),
  phoneEvent(v1, 'VOICE_COMPLETED', day1 + 85 * second, {
    isFinal: true,
    callDurationInSeconds: 27,
    totalDurationInMinutes: 1,
    totalMessagePrice: 0.013,
  }),
  phoneEvent(v2, 'VOICE_INITIATED', day2 + 10 * second, { isFinal: false }),
  phoneEvent(v2, 'VOICE_RINGING', day2 + 12 * second, { isFinal: false }),
  phoneEvent(v2, 'VOICE_BUSY', day2 + 30 * second, { isFinal: true, totalMessagePrice: 0 }),

  // WhatsApp. Day 1: w1 (conversation conv-1, marketing) sent, then read with no delivered status;
  // w2 failed. Day 2: conversation conv-3 (service) of three messages, from +200 s to +295 s.
  whatsappStatus(w1, 'sent', day1 + 100 * second),
  whatsappStatus(w1, 'read', day1 + 400 * second),
  whatsappStatus(w2, 'failed', day1 + 110 * second, [{ code: 131047, title: 'Re-engagement message' }]),
  whatsappStatus({ ...w3, messageId: 'wamid.3a' }, 'sent', day2 + 200 * second),
  whatsappStatus({ ...w3, messageId: 'wamid.3b' }, 'sent', day2 + 240 * second),
  whatsappStatus({ ...w3, messageId: 'wamid.3b' }, 'delivered', day2 + 250 * second),
  whatsappStatus({ ...w3, messageId: 'wamid.3c' }, 'sent', day2 + 295 * second),
  whatsappStatus({ ...w3, messageId: 'wamid.3c' }, 'read', day2 + 500 * second),
];

const sheetOf = (id: string): Sheet => {
  const sheet = engagementDashboard.sheets.find((s) => s.id === id);
  if (!sheet) throw new Error(`no sheet ${id}`);
  return sheet;
};

describe('the engagement dashboard on a lake built from raw events', () => {
  let lake: string;
  let engine: QueryEngine;

  beforeAll(async () => {
    lake = makeTempFolder('dashboard');
    await ingestRawEvents(lake, rawEvents);
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(lake);
  });

  async function rowsOf(
    sheet: string,
    visual: string,
    selection: unknown = {},
  ): Promise<Record<string, unknown>[]> {
    const query = visualQuery(engagementDashboard, sheet, visual, selection);
    if (!query.ok) throw new Error(query.error.message);
    const result = await engine.query(query.value.sql, query.value.parameters);
    if (!result.ok) throw new Error(`${sheet}.${visual}: ${result.error.message}\n${query.value.sql}`);
    return result.value.rows;
  }

  /** Every KPI of the sheet, by id: what the page shows as data-value. */
  async function kpisOf(sheet: string, selection: unknown = {}): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    for (const kpi of sheetOf(sheet).kpis) {
      const rows = await rowsOf(sheet, kpi.id, selection);
      expect(rows).toHaveLength(1);
      values[kpi.id] = rows[0][kpi.id];
    }
    return values;
  }

  const near = (expected: Record<string, number | null>) =>
    Object.fromEntries(
      Object.entries(expected).map(([id, value]) => [id, value === null ? null : expect.closeTo(value, 10)]),
    );

  describe('email', () => {
    it.each<[string, unknown, Record<string, number>]>([
      [
        'all days',
        {},
        {
          'emails-sent': 5,
          delivered: 4,
          'unique-recipients': 4,
          'delivery-rate': 4 / 5,
          'open-rate': 2 / 4,
          'click-rate': 1 / 4,
          'bounce-rate': 1 / 5,
          'complaint-rate': 1 / 5,
          isps: 3,
        },
      ],
      [
        'day 1',
        onlyDay1,
        {
          'emails-sent': 3,
          delivered: 2,
          'unique-recipients': 3,
          'delivery-rate': 2 / 3,
          'open-rate': 1 / 2,
          'click-rate': 1 / 2,
          'bounce-rate': 1 / 3,
          'complaint-rate': 1 / 3,
          isps: 3,
        },
      ],
      [
        'the spring-sale campaign',
        { campaign: ['spring-sale'] },
        {
          'emails-sent': 3,
          delivered: 2,
          'unique-recipients': 2,
          'delivery-rate': 2 / 3,
          'open-rate': 2 / 2,
          'click-rate': 1 / 2,
          'bounce-rate': 1 / 3,
          'complaint-rate': 0,
          isps: 2,
        },
      ],
      [
        'the spring-sale campaign on day 2',
        { ...onlyDay2, campaign: ['spring-sale'] },
        {
          'emails-sent': 1,
          delivered: 1,
          'unique-recipients': 1,
          'delivery-rate': 1,
          'open-rate': 1,
          'click-rate': 0,
          'bounce-rate': 0,
          'complaint-rate': 0,
          isps: 1,
        },
      ],
      [
        'the campaign named with quotes, SQL and emoji',
        { campaign: [oddCampaign] },
        {
          'emails-sent': 1,
          delivered: 1,
          'unique-recipients': 1,
          'delivery-rate': 1,
          'open-rate': 0,
          'click-rate': 0,
          'bounce-rate': 0,
          'complaint-rate': 0,
          isps: 1,
        },
      ],
      [
        'the configuration sets marketing and transactional',
        { 'configuration-set': ['marketing', 'transactional'] },
        {
          'emails-sent': 4,
          delivered: 3,
          'unique-recipients': 3,
          'delivery-rate': 3 / 4,
          'open-rate': 2 / 3,
          'click-rate': 1 / 3,
          'bounce-rate': 1 / 4,
          'complaint-rate': 0,
          isps: 2,
        },
      ],
    ])('shows the KPIs of %s', async (_, selection, expected) => {
      expect(await kpisOf('email', selection)).toEqual(near(expected));
    });

    it('shows no email for a sending domain no email came from, and no rate', async () => {
      expect(await kpisOf('email', { 'sending-domain': ['example.org'] })).toEqual({
        'emails-sent': null,
        delivered: null,
        'unique-recipients': 0,
        'delivery-rate': null,
        'open-rate': null,
        'click-rate': null,
        'bounce-rate': null,
        'complaint-rate': null,
        isps: 0,
      });
    });

    it('counts each day’s activity', async () => {
      expect(await rowsOf('email', 'activity-per-day')).toEqual([
        {
          day: '2025-03-14',
          'emails-sent': 3,
          delivered: 2,
          bounces: 1,
          complaints: 1,
          opened: 1,
          clicked: 1,
        },
        {
          day: '2025-03-15',
          'emails-sent': 2,
          delivered: 2,
          bounces: 0,
          complaints: 0,
          opened: 1,
          clicked: 0,
        },
      ]);
    });

    it('ranks the ISPs by emails sent, ties by name', async () => {
      expect(await rowsOf('email', 'by-isp')).toEqual([
        { isp: 'gmail', 'emails-sent': 3 },
        { isp: 'example.net', 'emails-sent': 1 },
        { isp: 'yahoo', 'emails-sent': 1 },
      ]);
    });

    it('rates each campaign', async () => {
      expect(await rowsOf('email', 'campaign-performance')).toEqual([
        {
          campaign: 'spring-sale',
          'emails-sent': 3,
          delivered: 2,
          'delivery-rate': expect.closeTo(2 / 3, 10),
          'open-rate': 1,
          'click-rate': 0.5,
          'bounce-rate': expect.closeTo(1 / 3, 10),
          'complaint-rate': 0,
        },
        ...[oddCampaign, 'none'].map((campaign) => ({
          campaign,
          'emails-sent': 1,
          delivered: 1,
          'delivery-rate': 1,
          'open-rate': 0,
          'click-rate': 0,
          'bounce-rate': 0,
          'complaint-rate': campaign === 'none' ? 1 : 0,
        })),
      ]);
    });

    it('counts bounces and complaints by subject', async () => {
      expect(await rowsOf('email', 'bounces-and-complaints-by-subject')).toEqual([
        {
          subject: 'Spring sale',
          emails: 3,
          bounces: 1,
          'bounce-rate': expect.closeTo(1 / 3, 10),
          complaints: 0,
          'complaint-rate': 0,
        },
        { subject: 'Receipt', emails: 1, bounces: 0, 'bounce-rate': 0, complaints: 1, 'complaint-rate': 1 },
        { subject: 'Été', emails: 1, bounces: 0, 'bounce-rate': 0, complaints: 0, 'complaint-rate': 0 },
      ]);
    });
  });

  describe('SMS', () => {
    it.each<[string, unknown, Record<string, number | null>]>([
      [
        'all days',
        {},
        {
          messages: 3,
          'unique-recipients': 3,
          'success-rate': 2 / 3,
          countries: 2,
          // Day 1, US: round(0.00947 + 0.00883, 4); day 2, CA: 0.0075.
          'total-cost': 0.0183 + 0.0075,
          'average-parts': 2,
          carriers: 3,
        },
      ],
      [
        'day 1',
        onlyDay1,
        {
          messages: 2,
          'unique-recipients': 2,
          'success-rate': 1 / 2,
          countries: 1,
          'total-cost': 0.0183,
          'average-parts': 1.5,
          carriers: 2,
        },
      ],
      [
        'Canada',
        { country: ['CA'] },
        {
          messages: 1,
          'unique-recipients': 1,
          'success-rate': 1,
          countries: 1,
          'total-cost': 0.0075,
          'average-parts': 3,
          carriers: 1,
        },
      ],
      [
        'promotional messages on day 1',
        { ...onlyDay1, type: ['PROMOTIONAL'] },
        {
          messages: null,
          'unique-recipients': 0,
          'success-rate': null,
          countries: 0,
          'total-cost': null,
          'average-parts': null,
          carriers: 0,
        },
      ],
    ])('shows the KPIs of %s', async (_, selection, expected) => {
      expect(await kpisOf('sms', selection)).toEqual(near(expected));
    });

    it('narrows only the per-message KPIs by carrier, which the rates view lacks', async () => {
      const query = visualQuery(engagementDashboard, 'sms', 'messages', { carrier: ['Verizon Wireless'] });

      expect(query.ok && query.value.unappliedFilters).toEqual(['carrier']);
      expect(await kpisOf('sms', { carrier: ['Verizon Wireless'] })).toEqual(
        near({
          messages: 3,
          'unique-recipients': 1,
          'success-rate': 2 / 3,
          countries: 2,
          'total-cost': 0.0258,
          'average-parts': 2,
          carriers: 1,
        }),
      );
    });

    it('shows messages by country and the price and fee per day', async () => {
      expect(await rowsOf('sms', 'messages-by-country')).toEqual([
        { country: 'US', messages: 2 },
        { country: 'CA', messages: 1 },
      ]);
      expect(await rowsOf('sms', 'price-and-fee-per-day')).toEqual([
        {
          day: '2025-03-14',
          'message-price': expect.closeTo(0.0123, 10),
          'carrier-fee': expect.closeTo(0.006, 10),
        },
        { day: '2025-03-15', 'message-price': expect.closeTo(0.0075, 10), 'carrier-fee': 0 },
      ]);
    });

    it('shows messages and cost by carrier', async () => {
      expect(await rowsOf('sms', 'by-carrier')).toEqual([
        { carrier: 'Rogers Wireless', messages: 1, cost: expect.closeTo(0.0075, 10) },
        { carrier: 'T-Mobile USA', messages: 1, cost: expect.closeTo(0.00947, 10) },
        { carrier: 'Verizon Wireless', messages: 1, cost: expect.closeTo(0.00883, 10) },
      ]);
    });
  });

  describe('MMS', () => {
    it.each<[string, unknown, Record<string, number>]>([
      [
        'all days',
        {},
        {
          messages: 2,
          'unique-recipients': 2,
          'success-rate': 1 / 2,
          countries: 1,
          'total-cost': 0.0223 + 0.0198,
          'average-parts': 1,
          carriers: 1,
        },
      ],
      [
        'day 2',
        onlyDay2,
        {
          messages: 1,
          'unique-recipients': 1,
          'success-rate': 0,
          countries: 1,
          'total-cost': 0.0198,
          'average-parts': 1,
          carriers: 1,
        },
      ],
    ])('shows the KPIs of %s', async (_, selection, expected) => {
      expect(await kpisOf('mms', selection)).toEqual(near(expected));
    });
  });

  describe('voice', () => {
    it.each<[string, unknown, Record<string, number | null>]>([
      [
        'all days',
        {},
        { calls: 2, 'success-rate': 1 / 2, countries: 2, 'total-cost': 0.013, 'average-call-duration': 27 },
      ],
      [
        'day 1',
        onlyDay1,
        { calls: 1, 'success-rate': 1, countries: 1, 'total-cost': 0.013, 'average-call-duration': 27 },
      ],
      [
        'the United Kingdom',
        { country: ['GB'] },
        { calls: 1, 'success-rate': 0, countries: 1, 'total-cost': 0, 'average-call-duration': null },
      ],
    ])('shows the KPIs of %s', async (_, selection, expected) => {
      expect(await kpisOf('voice', selection)).toEqual(near(expected));
    });

    it('shows each day’s call outcomes', async () => {
      expect(await rowsOf('voice', 'outcome-per-day')).toEqual([
        { day: '2025-03-14', outcome: 'COMPLETED', calls: 1 },
        { day: '2025-03-15', outcome: 'BUSY', calls: 1 },
      ]);
    });
  });

  describe('WhatsApp', () => {
    it.each<[string, unknown, Record<string, number>]>([
      [
        'all days',
        {},
        {
          'messages-sent': 5,
          'unique-recipients': 3,
          conversations: 2,
          'average-conversation-duration': (0 + 95) / 2,
          // Sent: w1 (read), 3a, 3b, 3c; delivered: w1 (read implies it), 3b, 3c; read: w1, 3c.
          'sent-to-delivered-rate': 3 / 4,
          'delivered-to-read-rate': 2 / 3,
        },
      ],
      [
        'day 1',
        onlyDay1,
        {
          'messages-sent': 2,
          'unique-recipients': 2,
          conversations: 1,
          'average-conversation-duration': 0,
          'sent-to-delivered-rate': 1,
          'delivered-to-read-rate': 1,
        },
      ],
      [
        'service conversations on day 2 (the rates view has no origin type)',
        { ...onlyDay2, 'origin-type': ['service'] },
        {
          'messages-sent': 3,
          'unique-recipients': 1,
          conversations: 1,
          'average-conversation-duration': 95,
          'sent-to-delivered-rate': 2 / 3,
          'delivered-to-read-rate': 1 / 2,
        },
      ],
    ])('shows the KPIs of %s', async (_, selection, expected) => {
      expect(await kpisOf('whatsapp', selection)).toEqual(near(expected));
    });

    it('shows messages per conversation and conversations by origin type', async () => {
      expect(await rowsOf('whatsapp', 'messages-per-conversation-by-origin-type')).toEqual([
        { 'origin-type': 'service', 'messages-per-conversation': 3 },
        { 'origin-type': 'marketing', 'messages-per-conversation': 1 },
      ]);
      expect(await rowsOf('whatsapp', 'conversations-by-origin-type')).toEqual([
        { 'origin-type': 'marketing', conversations: 1 },
        { 'origin-type': 'service', conversations: 1 },
      ]);
    });
  });

  it('keeps every rate at or below 100%, whatever the filters', async () => {
    for (const selection of [{}, onlyDay1, onlyDay2]) {
      for (const sheet of engagementDashboard.sheets) {
        const values = await kpisOf(sheet.id, selection);
        for (const kpi of sheet.kpis.filter((k) => k.measure.kind === MeasureKind.ratio)) {
          expect(values[kpi.id] === null || (values[kpi.id] as number) <= 1).toBe(true);
        }
      }
    }
  });

  it('runs every visual with every filter set to hostile values, and the lake is unchanged', async () => {
    const hostile = ["O'Brien", "'; DROP VIEW email_message_status; --", '東京 🙂', '?'];
    for (const sheet of engagementDashboard.sheets) {
      const selection = Object.fromEntries(
        sheet.filters.map((f) => [f.id, f.kind === FilterKind.dateRange ? { from: '2025-03-14' } : hostile]),
      );
      for (const visual of [...sheet.kpis, ...sheet.visuals]) {
        const rows = await rowsOf(sheet.id, visual.id, selection);
        // Every sheet has a values filter on every dataset: nothing matches the hostile values.
        if (visual.kind === VisualKind.kpi) expect(rows).toHaveLength(1);
        else expect(rows).toEqual([]);
      }
    }

    expect((await kpisOf('email'))['emails-sent']).toBe(5);
  });

  it('lists the options of every filter from the data', async () => {
    const options: Record<string, unknown> = {};
    for (const sheet of engagementDashboard.sheets) {
      for (const filter of sheet.filters) {
        const query = filterOptionsQuery(engagementDashboard, sheet.id, filter.id);
        if (!query.ok) throw new Error(query.error.message);
        const result = await engine.query(query.value.sql, query.value.parameters);
        if (!result.ok) throw new Error(result.error.message);
        options[`${sheet.id}.${filter.id}`] =
          filter.kind === FilterKind.dateRange
            ? result.value.rows[0]
            : result.value.rows.map((row) => row.value);
      }
    }

    const bothDays = { from: '2025-03-14', to: '2025-03-15' };
    expect(options).toEqual({
      'email.date': bothDays,
      'email.campaign': [oddCampaign, 'none', 'spring-sale'],
      'email.configuration-set': ['marketing', 'none', 'transactional'],
      'email.sending-domain': ['example.com'],
      'sms.date': bothDays,
      'sms.country': ['CA', 'US'],
      'sms.carrier': ['Rogers Wireless', 'T-Mobile USA', 'Verizon Wireless'],
      'sms.type': ['PROMOTIONAL', 'TRANSACTIONAL'],
      'sms.sending-number': ['+12065550152'],
      'mms.date': bothDays,
      'mms.country': ['US'],
      'mms.carrier': ['Verizon Wireless'],
      'mms.type': ['TRANSACTIONAL'],
      'mms.sending-number': ['+18445550152'],
      'voice.date': bothDays,
      'voice.country': ['GB', 'US'],
      'voice.carrier': ['Vodafone UK'],
      'voice.sending-number': ['+12065550199'],
      'whatsapp.date': bothDays,
      'whatsapp.sending-number': ['15550783881'],
      'whatsapp.origin-type': ['marketing', 'service'],
    });
  });
});
