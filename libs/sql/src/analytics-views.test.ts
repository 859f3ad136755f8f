import { SqlTokenKind, tokenizeSql } from './internal/sql-tokens';
import { functionsOutsideAthena, trinoSyntaxErrors } from '@engagement-db/sql/testing';
import { makeTempFolder, removeTempFolder } from '../test/test-lake';
import {
  type AnalyticsView,
  AnalyticsViewError,
  analyticsViews,
  createViewStatement,
  openQueryEngine,
  sampleQueries,
} from './index';

const view = (name: string): AnalyticsView => {
  const found = analyticsViews.find((v) => v.name === name);
  if (!found) throw new Error(`no view ${name}`);
  return found;
};

describe('analyticsViews', () => {
  it('lists the eleven views, each after the views it reads', () => {
    const names = analyticsViews.map((v) => v.name);
    expect(names.sort()).toEqual([
      'email_conversion_rates_view',
      'email_message_status',
      'media_conversion_rates_view',
      'media_message_status',
      'sms_conversion_rates_view',
      'sms_message_status',
      'voice_conversion_rates_view',
      'voice_message_status',
      'whatsapp_conversation_view',
      'whatsapp_message_conversion_rates',
      'whatsapp_message_status',
    ]);
    analyticsViews.forEach((v, index) => {
      const earlier = analyticsViews.slice(0, index).map((e) => e.name);
      expect(v.dependsOn.filter((name) => !earlier.includes(name))).toEqual([]);
    });
  });

  it.each([
    ['email_message_status', []],
    ['email_conversion_rates_view', ['email_message_status']],
    ['sms_conversion_rates_view', ['sms_message_status']],
    ['whatsapp_conversation_view', ['whatsapp_message_status']],
    ['whatsapp_message_conversion_rates', ['whatsapp_message_status']],
  ])('finds what %s reads in its SQL: %j', (name, dependsOn) => {
    expect(view(name).dependsOn).toEqual(dependsOn);
  });

  it.each(analyticsViews.map((v) => [v.name, v]))(
    '%s: its file opens with a comment saying what a row is, then one SELECT that reads no rawevent',
    (_, v) => {
      const tokens = tokenizeSql(v.sql);
      const words = tokens
        .filter((t) => t.kind === SqlTokenKind.word || t.kind === SqlTokenKind.quotedIdentifier)
        .map((t) => t.text.replaceAll('"', '').toLowerCase());
      expect(v.sql.startsWith('-- One row per ')).toBe(true);
      expect(v.description).toMatch(/^One row per [^\n]+\.$/);
      expect(tokens.filter((t) => t.text === ';')).toEqual([]);
      expect(words).not.toContain('rawevent');
      expect(words).toContain('ingest_timestamp');
      expect(v.columns.map((c) => c.name)).toContain('ingest_timestamp');
    },
  );

  it('gives the columns of the contract, names and Athena types, on the local engine', async () => {
    const lake = makeTempFolder('view-columns');
    const engine = await openQueryEngine({ lake });
    try {
      for (const v of analyticsViews) {
        const result = await engine.query(`SELECT * FROM "engagementdb-glue-db"."${v.name}"`);
        if (!result.ok) throw new Error(`${v.name}: ${result.error.message}`);
        const columns = result.value.columns.map((c) => ({
          name: c.name,
          type: c.type.replaceAll(', ', ','),
        }));
        expect({ view: v.name, columns }).toEqual({ view: v.name, columns: v.columns });
      }
    } finally {
      engine.close();
      removeTempFolder(lake);
    }
  });

  it('uses the column names the contract gives for email_message_status', () => {
    expect(view('email_message_status').columns.map((c) => c.name)).toEqual([
      'messageid',
      'sendingaddress',
      'destinationaddress',
      'ingest_timestamp',
      'message_timestamp',
      'send_timestamp',
      'delivery_timestamp',
      'bounce_timestamp',
      'complaint_timestamp',
      'reject_timestamp',
      'rendering_failure_timestamp',
      'delivery_delay_timestamp',
      'subscription_timestamp',
      'last_open_timestamp',
      'open_count',
      'last_click_timestamp',
      'click_count',
      'last_clicked_link',
      'bouncetype',
      'bouncesubtype',
      'complaintfeedbacktype',
      'last_status',
      'isp',
      'sending_domain',
      'subject',
      'source_ip',
      'source_tls_version',
      'configuration_set',
      'campaign',
    ]);
  });
});

describe('Athena compatibility', () => {
  const statements: [string, string][] = [
    ...analyticsViews.map((v): [string, string] => [`view ${v.name}`, v.sql]),
    ...analyticsViews.map((v): [string, string] => [`DDL of ${v.name}`, createViewStatement(v)]),
    ...Object.entries(sampleQueries).map(([name, q]): [string, string] => [`sample query ${name}`, q.sql]),
  ];

  it.each(statements)("%s passes Trino's grammar", (_, sql) => {
    expect(trinoSyntaxErrors(sql)).toEqual([]);
  });

  it.each(statements)('%s calls only functions Athena engine 3 documents', (_, sql) => {
    expect(functionsOutsideAthena(sql)).toEqual([]);
  });

  it.each([
    ['QUALIFY', 'SELECT messageid FROM t QUALIFY row_number() OVER (PARTITION BY messageid) = 1'],
    ['==', "SELECT 1 FROM t WHERE status == 'Send'"],
    ['a trailing comma in the select list', 'SELECT a, FROM t'],
    ['SELECT * EXCLUDE', 'SELECT * EXCLUDE (rawevent) FROM t'],
  ])('the grammar refuses DuckDB-only syntax: %s', (_, sql) => {
    expect(trinoSyntaxErrors(sql)).not.toEqual([]);
  });

  it('the function check finds a DuckDB-only function', () => {
    expect(
      functionsOutsideAthena("SELECT list_aggregate(x, 'max'), strftime(ts, '%Y'), count(*) FROM t"),
    ).toEqual(['list_aggregate', 'strftime']);
  });
});

describe('createViewStatement', () => {
  const reader: AnalyticsView = {
    name: 'reader_view',
    description: 'One row per test.',
    sql: [
      '-- One row per test: reads "engagementdb-glue-db"."engagementdb-events-table".',
      "SELECT 'engagementdb-events-table' AS label, '\"engagementdb-glue-db\"' AS quoted, count(*) AS n",
      'FROM "engagementdb-glue-db"."engagementdb-events-table" /* "engagementdb-conversations-table" */',
      'JOIN "engagementdb-glue-db"."engagementdb-conversations-table" ON true',
      'JOIN "engagementdb-glue-db"."email_message_status" ON true',
    ].join('\n'),
    dependsOn: ['email_message_status'],
    columns: [],
  };

  it('creates the view in the Glue database from its SELECT, without the leading comment', () => {
    const statement = createViewStatement(view('sms_conversion_rates_view'));
    expect(statement).toMatch(
      /^CREATE OR REPLACE VIEW "engagementdb-glue-db"\."sms_conversion_rates_view" AS\nSELECT\n/,
    );
    expect(statement).toContain('FROM "engagementdb-glue-db"."sms_message_status"');
    expect(statement).not.toContain('--');
  });

  it('substitutes the Glue database and table names token by token, never inside literals or comments', () => {
    const statement = createViewStatement(reader, {
      database: 'engagement_prod',
      eventsTable: 'events_v2',
      conversationsTable: 'chats',
    });
    expect(statement).toBe(
      [
        'CREATE OR REPLACE VIEW "engagement_prod"."reader_view" AS',
        "SELECT 'engagementdb-events-table' AS label, '\"engagementdb-glue-db\"' AS quoted, count(*) AS n",
        'FROM "engagement_prod"."events_v2" /* "engagementdb-conversations-table" */',
        'JOIN "engagement_prod"."chats" ON true',
        'JOIN "engagement_prod"."email_message_status" ON true',
      ].join('\n'),
    );
  });

  it('keeps the default names that are not given', () => {
    const statement = createViewStatement(reader, { database: 'analytics' });
    expect(statement).toContain('FROM "analytics"."engagementdb-events-table"');
    expect(statement).toContain('JOIN "analytics"."engagementdb-conversations-table"');
  });

  it.each([[{ database: '' }], [{ eventsTable: '   ' }], [{ conversationsTable: 42 as unknown as string }]])(
    'refuses a name that is not a Glue name: %j',
    (names) => {
      const act = () => createViewStatement(reader, names);
      expect(act).toThrow(AnalyticsViewError);
      expect(act).toThrow(
        /^createViewStatement: names\.\w+ must be a non-empty Glue name, got .*; leave it out for the default "engagementdb-[a-z-]+"\.$/,
      );
    },
  );
});
