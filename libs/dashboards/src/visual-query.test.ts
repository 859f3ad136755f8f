import { functionsOutsideAthena, trinoSyntaxErrors } from '@engagement-db/sql/testing';
import {
  type Dashboard,
  type DashboardQuery,
  type DashboardQueryResult,
  DashboardDefinitionError,
  FilterKind,
  type FilterSelection,
  type Sheet,
  engagementDashboard,
  filterOptionsQuery,
  filterValueLimits,
  visualQuery,
} from './index';

const hostile = ["O'Brien", "'; DROP VIEW sms_message_status; --", 'Zürich 東京 🙂', '" OR 1=1 --', '?'];

function queryOf(result: DashboardQueryResult): DashboardQuery {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** A value for every filter of a sheet: a date range, and every hostile value for each values filter. */
function everyFilter(sheet: Sheet): FilterSelection {
  return Object.fromEntries(
    sheet.filters.map((filter) => [
      filter.id,
      filter.kind === FilterKind.dateRange ? { from: '2025-03-14', to: '2025-03-15' } : hostile,
    ]),
  );
}

const visuals = engagementDashboard.sheets.flatMap((sheet) =>
  [...sheet.kpis, ...sheet.visuals].map((visual) => [`${sheet.id}.${visual.id}`, sheet, visual.id] as const),
);
const filters = engagementDashboard.sheets.flatMap((sheet) =>
  sheet.filters.map((filter) => [`${sheet.id}.${filter.id}`, sheet.id, filter.id] as const),
);

describe('visualQuery', () => {
  it('sums a KPI over the whole view when no filter is chosen', () => {
    const query = queryOf(visualQuery(engagementDashboard, 'email', 'emails-sent'));

    expect(query).toEqual({
      sql: [
        'SELECT',
        '  sum("total_emails_sent") AS "emails-sent"',
        'FROM "engagementdb-glue-db"."email_conversion_rates_view"',
      ].join('\n'),
      parameters: [],
      unappliedFilters: [],
    });
  });

  it('divides summed counts for a rate, narrowed by the date range and the chosen values as parameters', () => {
    const query = queryOf(
      visualQuery(engagementDashboard, 'sms', 'success-rate', {
        date: { from: '2025-03-14', to: '2025-03-31' },
        country: ['US', 'CA'],
      }),
    );

    expect(query).toEqual({
      sql: [
        'SELECT',
        '  CAST(sum("successful_messages") AS DOUBLE) / CAST(nullif(sum("total_messages"), 0) AS DOUBLE) AS "success-rate"',
        'FROM "engagementdb-glue-db"."sms_conversion_rates_view"',
        'WHERE "message_date" >= CAST(? AS TIMESTAMP)',
        '  AND "message_date" < CAST(? AS TIMESTAMP)',
        '  AND "iso_country_code" IN (?, ?)',
      ].join('\n'),
      parameters: ['2025-03-14 00:00:00.000', '2025-04-01 00:00:00.000', 'US', 'CA'],
      unappliedFilters: [],
    });
  });

  it('groups a line chart by its time bucket and series, in time order', () => {
    const query = queryOf(
      visualQuery(engagementDashboard, 'voice', 'outcome-per-day', { date: { to: '2024-12-31' } }),
    );

    expect(query.sql).toBe(
      [
        'SELECT',
        '  CAST(date_trunc(\'day\', "message_timestamp") AS DATE) AS "day",',
        '  "last_status" AS "outcome",',
        '  count("messageid") AS "calls"',
        'FROM "engagementdb-glue-db"."voice_message_status"',
        'WHERE "message_timestamp" < CAST(? AS TIMESTAMP)',
        'GROUP BY 1, 2',
        'ORDER BY 1 ASC NULLS LAST, 2 ASC NULLS LAST',
      ].join('\n'),
    );
    expect(query.parameters).toEqual(['2025-01-01 00:00:00.000']);
  });

  it('orders a bar chart by its sort, ties by the category, and keeps the first categories', () => {
    const query = queryOf(visualQuery(engagementDashboard, 'email', 'by-isp'));

    expect(query.sql).toBe(
      [
        'SELECT',
        '  "isp" AS "isp",',
        '  sum("total_emails_sent") AS "emails-sent"',
        'FROM "engagementdb-glue-db"."email_conversion_rates_view"',
        'GROUP BY 1',
        'ORDER BY 2 DESC NULLS LAST, 1 ASC NULLS LAST',
        'LIMIT 10',
      ].join('\n'),
    );
  });

  it('counts rows of a per-message view for a table, with ratios of counts', () => {
    const query = queryOf(visualQuery(engagementDashboard, 'email', 'bounces-and-complaints-by-subject'));

    expect(query.sql).toBe(
      [
        'SELECT',
        '  "subject" AS "subject",',
        '  count("messageid") AS "emails",',
        '  count("bounce_timestamp") AS "bounces",',
        '  CAST(count("bounce_timestamp") AS DOUBLE) / CAST(nullif(count("messageid"), 0) AS DOUBLE) AS "bounce-rate",',
        '  count("complaint_timestamp") AS "complaints",',
        '  CAST(count("complaint_timestamp") AS DOUBLE) / CAST(nullif(count("messageid"), 0) AS DOUBLE) AS "complaint-rate"',
        'FROM "engagementdb-glue-db"."email_message_status"',
        'GROUP BY 1',
        'ORDER BY 3 DESC NULLS LAST, 1 ASC NULLS LAST',
        'LIMIT 100',
      ].join('\n'),
    );
  });

  it('names the chosen filters that do not apply to the visual’s dataset and leaves them out', () => {
    const rates = queryOf(
      visualQuery(engagementDashboard, 'sms', 'messages', { carrier: ['Verizon Wireless'] }),
    );
    const messages = queryOf(
      visualQuery(engagementDashboard, 'sms', 'carriers', { carrier: ['Verizon Wireless'] }),
    );

    expect(rates).toMatchObject({ parameters: [], unappliedFilters: ['carrier'] });
    expect(rates.sql).not.toContain('WHERE');
    expect(messages).toMatchObject({ parameters: ['Verizon Wireless'], unappliedFilters: [] });
    expect(messages.sql).toContain('WHERE "carrier_name" IN (?)');
  });

  it.each([
    ['an empty selection', {}],
    ['null', null],
    ['empty values', { campaign: [] }],
    ['an open date range', { date: {} }],
    ['blank dates', { date: { from: '', to: null } }],
  ])('narrows nothing for %s', (_, selection) => {
    const query = queryOf(visualQuery(engagementDashboard, 'email', 'emails-sent', selection));

    expect(query.parameters).toEqual([]);
    expect(query.sql).not.toContain('WHERE');
  });

  it.each(hostile)('passes the value %j as a parameter, never in the SQL', (value) => {
    const plain = queryOf(
      visualQuery(engagementDashboard, 'email', 'unique-recipients', { campaign: ['x'] }),
    );

    const query = queryOf(
      visualQuery(engagementDashboard, 'email', 'unique-recipients', { campaign: [value] }),
    );

    expect(query.sql).toBe(plain.sql);
    expect(query.parameters).toEqual([value]);
  });

  it.each(visuals)('gives %s as Athena SQL, with and without every filter', (_, sheet, id) => {
    for (const selection of [{}, everyFilter(sheet)]) {
      const query = queryOf(visualQuery(engagementDashboard, sheet.id, id, selection));

      expect(trinoSyntaxErrors(query.sql)).toEqual([]);
      expect(functionsOutsideAthena(query.sql)).toEqual([]);
      expect(query.sql.split('?').length - 1).toBe(query.parameters.length);
    }
  });

  it.each<[string, string, string, unknown, { kind: string; message: string; path?: string }]>([
    [
      'an unknown sheet',
      'telegram',
      'messages',
      {},
      {
        kind: 'unknown-sheet',
        message: 'the dashboard has no sheet "telegram"; its sheets are email, sms, mms, voice, whatsapp',
      },
    ],
    [
      'an unknown visual',
      'sms',
      "messages' OR 1=1",
      {},
      { kind: 'unknown-visual', message: 'the sms sheet has no KPI, chart or table "messages\' OR 1=1"' },
    ],
    [
      'a value for an unknown filter',
      'sms',
      'messages',
      { campaign: ['spring'] },
      {
        kind: 'unknown-filter',
        message:
          'the sms sheet has no filter "campaign"; its filters are date, country, carrier, type, sending-number',
        path: '$.campaign',
      },
    ],
    [
      'a selection that is no object',
      'sms',
      'messages',
      'country=US',
      {
        kind: 'bad-filter-value',
        message: 'expected the filter values as an object keyed by filter id, got "country=US"',
        path: '$',
      },
    ],
    [
      'a date that is no day',
      'sms',
      'messages',
      { date: { from: '2025-02-30' } },
      {
        kind: 'bad-filter-value',
        message: 'expected a UTC day YYYY-MM-DD from 1970-01-01 to 9998-12-31, got "2025-02-30"',
        path: '$.date.from',
      },
    ],
    [
      'a date with SQL in it',
      'sms',
      'messages',
      { date: { to: "2025-03-14' OR '1'='1" } },
      {
        kind: 'bad-filter-value',
        message: "expected a UTC day YYYY-MM-DD from 1970-01-01 to 9998-12-31, got \"2025-03-14' OR '1'='1\"",
        path: '$.date.to',
      },
    ],
    [
      'a timestamp for a day',
      'sms',
      'messages',
      { date: { from: '2025-03-14T10:00:00Z' } },
      {
        kind: 'bad-filter-value',
        message: 'expected a UTC day YYYY-MM-DD from 1970-01-01 to 9998-12-31, got "2025-03-14T10:00:00Z"',
        path: '$.date.from',
      },
    ],
    [
      'a day past the last one',
      'sms',
      'messages',
      { date: { to: '9999-12-31' } },
      {
        kind: 'bad-filter-value',
        message: 'expected a UTC day YYYY-MM-DD from 1970-01-01 to 9998-12-31, got "9999-12-31"',
        path: '$.date.to',
      },
    ],
    [
      'a range that ends before it starts',
      'sms',
      'messages',
      { date: { from: '2025-03-15', to: '2025-03-14' } },
      {
        kind: 'bad-filter-value',
        message: 'the range starts on 2025-03-15, after its end on 2025-03-14',
        path: '$.date',
      },
    ],
    [
      'a date range with another key',
      'sms',
      'messages',
      { date: { since: '2025-03-15' } },
      {
        kind: 'bad-filter-value',
        message: 'a date range has from and to only, got "since"',
        path: '$.date.since',
      },
    ],
    [
      'a date range given as values',
      'sms',
      'messages',
      { date: ['2025-03-15'] },
      {
        kind: 'bad-filter-value',
        message: 'expected a date range { from?, to? }, got an array',
        path: '$.date',
      },
    ],
    [
      'one value not in an array',
      'sms',
      'messages',
      { country: 'US' },
      { kind: 'bad-filter-value', message: 'expected an array of values, got "US"', path: '$.country' },
    ],
    [
      'a value that is no text',
      'sms',
      'messages',
      { country: ['US', 1] },
      { kind: 'bad-filter-value', message: 'expected text, got number 1', path: '$.country[1]' },
    ],
    [
      'too many values',
      'sms',
      'messages',
      { country: Array.from({ length: filterValueLimits.values + 1 }, (_, i) => `c${i}`) },
      { kind: 'bad-filter-value', message: 'at most 1000 values may be chosen, got 1001', path: '$.country' },
    ],
    [
      'a value too long',
      'sms',
      'messages',
      { country: ['x'.repeat(filterValueLimits.characters + 1)] },
      {
        kind: 'bad-filter-value',
        message: 'a value has at most 1000 characters, got 1001',
        path: '$.country[0]',
      },
    ],
  ])('answers %s with a failure', (_, sheet, visual, selection, error) => {
    expect(visualQuery(engagementDashboard, sheet, visual, selection)).toEqual({ ok: false, error });
  });

  it('chooses each value once', () => {
    const query = queryOf(
      visualQuery(engagementDashboard, 'sms', 'carriers', { country: ['US', 'US', 'CA'] }),
    );

    expect(query.parameters).toEqual(['US', 'CA']);
  });

  it('throws DashboardDefinitionError for a visual over a dataset the dashboard does not declare', () => {
    const broken: Dashboard = { ...engagementDashboard, datasets: engagementDashboard.datasets.slice(1) };

    expect(() => visualQuery(broken, 'email', 'emails-sent')).toThrow(
      expect.objectContaining({
        name: 'DashboardDefinitionError',
        message: expect.stringMatching(
          /^email\.emails-sent reads the dataset "email-rates", which the dashboard engagement does not declare; add it to datasets/,
        ),
      }),
    );
    expect(() => visualQuery(broken, 'email', 'emails-sent')).toThrow(DashboardDefinitionError);
  });
});

describe('filterOptionsQuery', () => {
  it('lists the different values of a filter over every dataset it applies to', () => {
    const query = queryOf(filterOptionsQuery(engagementDashboard, 'email', 'campaign'));

    expect(query.sql).toBe(
      [
        'SELECT DISTINCT "value"',
        'FROM (',
        '  SELECT "campaign" AS "value" FROM "engagementdb-glue-db"."email_conversion_rates_view"',
        '  UNION ALL',
        '  SELECT "campaign" AS "value" FROM "engagementdb-glue-db"."email_message_status"',
        ') AS "options"',
        'WHERE "value" IS NOT NULL',
        'ORDER BY 1 ASC',
        'LIMIT 1000',
      ].join('\n'),
    );
  });

  it('reads a filter’s values only where it applies', () => {
    const query = queryOf(filterOptionsQuery(engagementDashboard, 'sms', 'carrier'));

    expect(query.sql).toContain('FROM "engagementdb-glue-db"."sms_message_status"');
    expect(query.sql).not.toContain('sms_conversion_rates_view');
  });

  it.each(filters)('gives the options of %s as Athena SQL', (_, sheet, filter) => {
    const query = queryOf(filterOptionsQuery(engagementDashboard, sheet, filter));

    expect(trinoSyntaxErrors(query.sql)).toEqual([]);
    expect(functionsOutsideAthena(query.sql)).toEqual([]);
    expect(query.parameters).toEqual([]);
  });

  it('answers an unknown filter with a failure', () => {
    expect(filterOptionsQuery(engagementDashboard, 'voice', 'type')).toEqual({
      ok: false,
      error: { kind: 'unknown-filter', message: 'the voice sheet has no filter "type"' },
    });
  });
});
