import { analyticsViews } from '@engagement-db/sql';
import {
  type Filter,
  FilterKind,
  type Measure,
  MeasureKind,
  NumberFormatKind,
  type Sheet,
  datasetsOf,
  engagementDashboard,
} from './index';

const sheetOf = (id: string): Sheet => {
  const sheet = engagementDashboard.sheets.find((s) => s.id === id);
  if (!sheet) throw new Error(`no sheet ${id}`);
  return sheet;
};
const allMeasures = (sheet: Sheet): Measure[] => [
  ...sheet.kpis.map((kpi) => kpi.measure),
  ...sheet.visuals.flatMap((visual) => visual.measures),
];
const columnsOf = (filter: Filter) => filter.columns;

describe('engagementDashboard', () => {
  it('has the five channel sheets, in order', () => {
    expect(engagementDashboard.sheets.map((sheet) => sheet.id)).toEqual([
      'email',
      'sms',
      'mms',
      'voice',
      'whatsapp',
    ]);
  });

  it.each([
    [
      'email',
      [
        'emails-sent',
        'delivered',
        'unique-recipients',
        'delivery-rate',
        'open-rate',
        'click-rate',
        'bounce-rate',
        'complaint-rate',
        'isps',
      ],
    ],
    [
      'sms',
      [
        'messages',
        'unique-recipients',
        'success-rate',
        'countries',
        'total-cost',
        'average-parts',
        'carriers',
      ],
    ],
    [
      'mms',
      [
        'messages',
        'unique-recipients',
        'success-rate',
        'countries',
        'total-cost',
        'average-parts',
        'carriers',
      ],
    ],
    ['voice', ['calls', 'success-rate', 'countries', 'total-cost', 'average-call-duration']],
    [
      'whatsapp',
      [
        'messages-sent',
        'unique-recipients',
        'conversations',
        'average-conversation-duration',
        'sent-to-delivered-rate',
        'delivered-to-read-rate',
      ],
    ],
  ])('shows the KPIs people expect on the %s sheet', (id, kpis) => {
    expect(sheetOf(id).kpis.map((kpi) => kpi.id)).toEqual(kpis);
  });

  it.each([
    [
      'email',
      [
        'activity-per-day',
        'rates-per-day',
        'by-isp',
        'by-campaign',
        'by-configuration-set',
        'by-sending-domain',
        'campaign-performance',
        'bounces-and-complaints-by-subject',
      ],
    ],
    [
      'sms',
      [
        'messages-per-day',
        'success-rate-per-day',
        'messages-by-country',
        'price-and-fee-per-day',
        'by-carrier',
        'messages-by-type',
      ],
    ],
    ['voice', ['calls-per-day', 'success-rate-per-day', 'calls-by-country', 'outcome-per-day']],
    [
      'whatsapp',
      [
        'messages-per-day',
        'conversations-per-day',
        'rates-per-day',
        'conversations-by-origin-type',
        'messages-per-conversation-by-origin-type',
      ],
    ],
  ])('shows the charts and tables people expect on the %s sheet', (id, visuals) => {
    expect(sheetOf(id).visuals.map((visual) => visual.id)).toEqual(visuals);
  });

  it.each([
    ['email', ['date', 'campaign', 'configuration-set', 'sending-domain']],
    ['sms', ['date', 'country', 'carrier', 'type', 'sending-number']],
    ['mms', ['date', 'country', 'carrier', 'type', 'sending-number']],
    ['voice', ['date', 'country', 'carrier', 'sending-number']],
    ['whatsapp', ['date', 'sending-number', 'origin-type']],
  ])('filters the %s sheet by a date range and its channel’s dimensions', (id, filters) => {
    const sheet = sheetOf(id);

    expect(sheet.filters.map((filter) => filter.id)).toEqual(filters);
    expect(sheet.filters[0].kind).toBe(FilterKind.dateRange);
  });

  it('dates every dataset of every sheet by its message date or first-seen timestamp', () => {
    const dateColumns = Object.fromEntries(
      engagementDashboard.sheets.map((sheet) => [sheet.id, columnsOf(sheet.filters[0])]),
    );

    expect(dateColumns).toEqual({
      email: { 'email-rates': 'message_date', 'email-messages': 'message_timestamp' },
      sms: { 'sms-rates': 'message_date', 'sms-messages': 'message_timestamp' },
      mms: { 'mms-rates': 'message_date', 'mms-messages': 'message_timestamp' },
      voice: { 'voice-rates': 'message_date', 'voice-calls': 'message_timestamp' },
      whatsapp: {
        'whatsapp-rates': 'message_date',
        'whatsapp-messages': 'message_timestamp',
        'whatsapp-conversations': 'first_message_timestamp',
      },
    });
  });

  it('says explicitly which filters do not apply to a dataset: the rate views lack carrier and origin type', () => {
    const unapplied = engagementDashboard.sheets.flatMap((sheet) =>
      sheet.filters.flatMap((filter) =>
        Object.entries(filter.columns)
          .filter(([, column]) => column === null)
          .map(([dataset]) => `${sheet.id}.${filter.id}: ${dataset}`),
      ),
    );

    expect(unapplied).toEqual([
      'sms.carrier: sms-rates',
      'mms.carrier: mms-rates',
      'voice.carrier: voice-rates',
      'whatsapp.origin-type: whatsapp-rates',
    ]);
  });

  it('names in every filter each dataset its sheet reads', () => {
    for (const sheet of engagementDashboard.sheets) {
      for (const filter of sheet.filters) {
        expect(Object.keys(filter.columns).sort()).toEqual(datasetsOf(sheet).sort());
      }
    }
  });

  it('computes every rate as a ratio of summed counts, shown as a percentage', () => {
    const rates = engagementDashboard.sheets.flatMap((sheet) =>
      allMeasures(sheet).filter((measure) => /rate$/.test(measure.id)),
    );

    expect(rates.length).toBeGreaterThan(10);
    for (const rate of rates) {
      expect(rate).toMatchObject({ kind: MeasureKind.ratio, format: { kind: NumberFormatKind.percent } });
    }
  });

  it('rates a later WhatsApp step against the earlier one, so that no rate exceeds 100%', () => {
    const kpis = sheetOf('whatsapp').kpis;

    expect(kpis.find((kpi) => kpi.id === 'sent-to-delivered-rate')?.measure).toMatchObject({
      numerator: { field: 'delivered_count', aggregation: 'sum' },
      denominator: { field: 'sent_count', aggregation: 'sum' },
    });
    expect(kpis.find((kpi) => kpi.id === 'delivered-to-read-rate')?.measure).toMatchObject({
      numerator: { field: 'read_count', aggregation: 'sum' },
      denominator: { field: 'delivered_count', aggregation: 'sum' },
    });
  });

  it('shows costs in US dollars with cents, durations in seconds', () => {
    const formats = engagementDashboard.sheets.flatMap((sheet) =>
      sheet.kpis
        .filter((kpi) => /cost|duration/.test(kpi.id))
        .map((kpi) => [`${sheet.id}.${kpi.id}`, kpi.measure.format]),
    );

    expect(Object.fromEntries(formats)).toEqual({
      'sms.total-cost': { kind: 'currency', currency: 'USD', decimals: 2 },
      'mms.total-cost': { kind: 'currency', currency: 'USD', decimals: 2 },
      'voice.total-cost': { kind: 'currency', currency: 'USD', decimals: 2 },
      'voice.average-call-duration': { kind: 'seconds', decimals: 1 },
      'whatsapp.average-conversation-duration': { kind: 'seconds', decimals: 1 },
    });
  });

  it('reads views that exist, each dataset once', () => {
    const views = engagementDashboard.datasets.map((dataset) => dataset.view);

    expect(new Set(views).size).toBe(views.length);
    expect(views.every((view) => analyticsViews.some((v) => v.name === view))).toBe(true);
  });
});
