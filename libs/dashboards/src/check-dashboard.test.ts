import { analyticsViews } from '@engagement-db/sql';
import { type Dashboard, checkDashboard, engagementDashboard } from './index';

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
// Loose access to a copy of the definition, to break it in one place.
type Loose = Mutable<Dashboard> & Record<string, never>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRecord = any;

function changed(change: (dashboard: AnyRecord) => void): Dashboard {
  // Through JSON, so that a measure shared by a KPI and a chart is changed in one place only.
  const copy = JSON.parse(JSON.stringify(engagementDashboard)) as Loose;
  change(copy);
  return copy;
}

const sheet = (dashboard: AnyRecord, id: string) => dashboard.sheets.find((s: { id: string }) => s.id === id);
const kpi = (dashboard: AnyRecord, sheetId: string, id: string) =>
  sheet(dashboard, sheetId).kpis.find((k: { id: string }) => k.id === id);
const visual = (dashboard: AnyRecord, sheetId: string, id: string) =>
  sheet(dashboard, sheetId).visuals.find((v: { id: string }) => v.id === id);
const filter = (dashboard: AnyRecord, sheetId: string, id: string) =>
  sheet(dashboard, sheetId).filters.find((f: { id: string }) => f.id === id);

describe('checkDashboard', () => {
  it('finds no problem in the engagement dashboard against the analytics views', () => {
    expect(checkDashboard(engagementDashboard, analyticsViews)).toEqual([]);
  });

  it.each<[string, (dashboard: AnyRecord) => void, { path: string; message: string }]>([
    [
      'a field its view lacks',
      (d) => (kpi(d, 'email', 'emails-sent').measure.field = 'total_emails'),
      {
        path: 'sheets[email].kpis[emails-sent].measure',
        message: 'email_conversion_rates_view has no column total_emails',
      },
    ],
    [
      'a sum of text',
      (d) => (kpi(d, 'sms', 'total-cost').measure.field = 'iso_country_code'),
      {
        path: 'sheets[sms].kpis[total-cost].measure',
        message:
          'sms_conversion_rates_view.iso_country_code is varchar, expected a number to add up or average',
      },
    ],
    [
      'a ratio part its view lacks',
      (d) => (kpi(d, 'whatsapp', 'delivered-to-read-rate').measure.denominator.field = 'delivered'),
      {
        path: 'sheets[whatsapp].kpis[delivered-to-read-rate].measure.denominator',
        message: 'whatsapp_message_conversion_rates has no column delivered',
      },
    ],
    [
      'a sum of per-group rates',
      (d) =>
        (kpi(d, 'email', 'delivery-rate').measure = {
          kind: 'aggregate',
          id: 'delivery-rate',
          label: 'Delivery rate',
          field: 'delivery_rate',
          aggregation: 'sum',
          format: { kind: 'decimal', decimals: 2 },
        }),
      {
        path: 'sheets[email].kpis[delivery-rate].measure',
        message:
          'delivery_rate is a rate or average of its group; combine groups as a ratio of summed counts',
      },
    ],
    [
      'an average over group rows',
      (d) => {
        const measure = kpi(d, 'sms', 'messages').measure;
        measure.aggregation = 'average';
      },
      {
        path: 'sheets[sms].kpis[messages].measure',
        message:
          'sms_conversion_rates_view has a row per group of messages: average over its rows weighs every group alike; sum its counts',
      },
    ],
    [
      'a count of group rows in a ratio',
      (d) => (kpi(d, 'voice', 'success-rate').measure.denominator.aggregation = 'count'),
      {
        path: 'sheets[voice].kpis[success-rate].measure.denominator',
        message:
          'voice_conversion_rates_view has a row per group of messages: count over its rows weighs every group alike; sum its counts',
      },
    ],
    [
      'a percentage that is no ratio',
      (d) => (kpi(d, 'email', 'emails-sent').measure.format = { kind: 'percent', decimals: 0 }),
      {
        path: 'sheets[email].kpis[emails-sent].measure',
        message: 'a percentage must be a ratio measure (a sum divided by a sum)',
      },
    ],
    [
      'a chart mixing counts and amounts on one axis',
      (d) => (visual(d, 'sms', 'price-and-fee-per-day').measures[1].format = { kind: 'integer' }),
      {
        path: 'sheets[sms].visuals[price-and-fee-per-day].measures',
        message: 'the measures of a chart share one value axis: give them one number format',
      },
    ],
    [
      'a time bucket of text',
      (d) => (visual(d, 'sms', 'messages-per-day').category.field = 'type'),
      {
        path: 'sheets[sms].visuals[messages-per-day].category',
        message: 'sms_conversion_rates_view.type is varchar, expected a date or a timestamp',
      },
    ],
    [
      'hours of a date',
      (d) => (visual(d, 'sms', 'messages-per-day').category.granularity = 'hour'),
      {
        path: 'sheets[sms].visuals[messages-per-day].category',
        message: 'sms_conversion_rates_view.message_date is date, expected a timestamp (for hours)',
      },
    ],
    [
      'a timestamp dimension without a granularity',
      (d) => delete visual(d, 'voice', 'outcome-per-day').category.granularity,
      {
        path: 'sheets[voice].visuals[outcome-per-day].category',
        message:
          'voice_message_status.message_timestamp is timestamp, expected text, a whole number or a date (a timestamp needs a granularity)',
      },
    ],
    [
      'a line chart not over time',
      (d) => {
        const chart = visual(d, 'email', 'activity-per-day');
        chart.category = { id: 'isp', label: 'ISP', field: 'isp' };
      },
      {
        path: 'sheets[email].visuals[activity-per-day].category',
        message: 'a line chart runs over time: its category needs a date granularity',
      },
    ],
    [
      'a series over two measures',
      (d) => {
        const chart = visual(d, 'voice', 'outcome-per-day');
        chart.measures = [...chart.measures, { ...chart.measures[0], id: 'more-calls' }];
      },
      {
        path: 'sheets[voice].visuals[outcome-per-day].series',
        message: 'a series splits one measure, got 2',
      },
    ],
    [
      'a series with a limit',
      (d) => (visual(d, 'voice', 'outcome-per-day').limit = 5),
      {
        path: 'sheets[voice].visuals[outcome-per-day].limit',
        message: 'a limit keeps the first categories; it cannot be combined with a series',
      },
    ],
    [
      'a sort by nothing of the visual',
      (d) => (visual(d, 'email', 'by-isp').sort.by = 'emails'),
      {
        path: 'sheets[email].visuals[by-isp].sort',
        message: 'sorts by emails, which is none of its dimensions or measures',
      },
    ],
    [
      'a limit of 0',
      (d) => (visual(d, 'email', 'by-isp').limit = 0),
      {
        path: 'sheets[email].visuals[by-isp].limit',
        message: 'the limit must be a whole number above 0, got 0',
      },
    ],
    [
      'two visuals of a sheet with one id',
      (d) => (visual(d, 'mms', 'messages-by-type').id = 'messages-by-country'),
      {
        path: 'sheets[mms]',
        message: 'two of its KPI, visual or filter ids are messages-by-country; ids must be unique',
      },
    ],
    [
      'a KPI and a filter with one id',
      (d) => (kpi(d, 'mms', 'carriers').id = 'carrier'),
      {
        path: 'sheets[mms]',
        message: 'two of its KPI, visual or filter ids are carrier; ids must be unique',
      },
    ],
    [
      'a measure and a dimension of a visual with one id',
      (d) => (visual(d, 'email', 'campaign-performance').measures[1].id = 'campaign'),
      {
        path: 'sheets[email].visuals[campaign-performance]',
        message: 'two of its dimension or measure ids are campaign; ids must be unique',
      },
    ],
    [
      'an id that is not kebab-case',
      (d) => (kpi(d, 'whatsapp', 'conversations').id = 'Conversations_Total'),
      {
        path: 'sheets[whatsapp].kpis[Conversations_Total]',
        message: 'the id "Conversations_Total" is not kebab-case (such as delivery-rate)',
      },
    ],
    [
      'two datasets with one id',
      (d) => d.datasets.push({ ...d.datasets[0] }),
      { path: 'datasets', message: 'two of its dataset ids are email-rates; ids must be unique' },
    ],
    [
      'a dataset over a view that does not exist',
      (d) => (d.datasets[0].view = 'email_rates'),
      { path: 'datasets[email-rates].view', message: 'no analytics view is named email_rates' },
    ],
    [
      'a dataset no visual reads',
      (d) => d.datasets.push({ id: 'spare', view: 'email_message_status', grain: 'message' }),
      { path: 'datasets[spare]', message: 'no visual reads this dataset; remove it or read it' },
    ],
    [
      'a visual over an undeclared dataset',
      (d) => (kpi(d, 'voice', 'calls').dataset = 'calls'),
      { path: 'sheets[voice].kpis[calls].dataset', message: 'no dataset has the id calls' },
    ],
    [
      'a sheet without a date range',
      (d) =>
        (sheet(d, 'voice').filters = sheet(d, 'voice').filters.filter(
          (f: { id: string }) => f.id !== 'date',
        )),
      { path: 'sheets[voice].filters', message: 'a sheet has one date range filter, got 0' },
    ],
    [
      'a filter silent about a dataset of its sheet',
      (d) => delete filter(d, 'sms', 'carrier').columns['sms-rates'],
      {
        path: 'sheets[sms].filters[carrier].columns',
        message: 'says nothing of sms-rates: name its column, or null where it does not apply',
      },
    ],
    [
      'a filter naming a dataset its sheet does not read',
      (d) => (filter(d, 'sms', 'carrier').columns['mms-messages'] = 'carrier_name'),
      {
        path: 'sheets[sms].filters[carrier].columns',
        message: 'names mms-messages, which no visual of the sheet reads',
      },
    ],
    [
      'a date range that leaves a dataset out',
      (d) => (filter(d, 'whatsapp', 'date').columns['whatsapp-conversations'] = null),
      {
        path: 'sheets[whatsapp].filters[date].columns.whatsapp-conversations',
        message: 'the date range applies to every dataset of its sheet',
      },
    ],
    [
      'a date range over text',
      (d) => (filter(d, 'email', 'date').columns['email-rates'] = 'isp'),
      {
        path: 'sheets[email].filters[date].columns.email-rates',
        message: 'email_conversion_rates_view.isp is varchar, expected a date or a timestamp',
      },
    ],
    [
      'a values filter over a number',
      (d) => (filter(d, 'voice', 'country').columns['voice-rates'] = 'total_messages'),
      {
        path: 'sheets[voice].filters[country].columns.voice-rates',
        message: 'voice_conversion_rates_view.total_messages is bigint, expected varchar',
      },
    ],
    [
      'a values filter over a column its view lacks',
      (d) => (filter(d, 'voice', 'carrier').columns['voice-rates'] = 'carrier_name'),
      {
        path: 'sheets[voice].filters[carrier].columns.voice-rates',
        message: 'voice_conversion_rates_view has no column carrier_name',
      },
    ],
    [
      'a filter that applies to nothing',
      (d) =>
        (filter(d, 'whatsapp', 'origin-type').columns = {
          'whatsapp-rates': null,
          'whatsapp-messages': null,
          'whatsapp-conversations': null,
        }),
      { path: 'sheets[whatsapp].filters[origin-type].columns', message: 'applies to no dataset' },
    ],
  ])('reports %s', (_, change, problem) => {
    const problems = checkDashboard(changed(change), analyticsViews);

    expect(problems).toEqual([problem]);
  });
});
