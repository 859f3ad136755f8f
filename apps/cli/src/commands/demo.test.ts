import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { Channel } from '@engagement-db/canonical-model';
import { openQueryEngine } from '@engagement-db/sql';
import { CliError, ExitStatus } from '../cli-error';
import { demoCommand } from './demo';

async function runDemo(args: string[]): Promise<{ stdout: string; error?: CliError }> {
  let stdout = '';
  const command = demoCommand({
    stdin: new PassThrough(),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    env: {},
  });
  try {
    await command.parseAsync(args, { from: 'user' });
    return { stdout };
  } catch (error) {
    if (error instanceof CliError) return { stdout, error };
    throw error;
  }
}

describe('demoCommand', () => {
  let lake: string;
  let first: { stdout: string; error?: CliError };
  beforeAll(async () => {
    lake = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-demo-'));
    first = await runDemo(['--lake', lake, '--events', '2500']);
  });
  afterAll(() => fs.rmSync(lake, { recursive: true, force: true }));

  it('fills the lake so the sample queries return rows for every channel', async () => {
    const engine = await openQueryEngine({ lake });
    try {
      const events = await engine.query(
        'SELECT channel, count(*) AS n FROM "engagementdb-glue-db"."engagementdb-events-table" GROUP BY 1 ORDER BY 1',
      );
      const conversations = await engine.query(
        'SELECT count(*) AS n FROM "engagementdb-conversations-table"',
      );

      expect(first.error).toBeUndefined();
      expect(events.ok && events.value.rows.map((r) => r.channel)).toEqual(Object.values(Channel).sort());
      expect(events.ok && events.value.rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(2500);
      expect(conversations.ok && Number(conversations.value.rows[0].n)).toBeGreaterThan(0);
    } finally {
      engine.close();
    }
  });

  it('prints rows per channel, the three sample query results and the answer from a view', async () => {
    expect(first.stdout).toMatch(
      /^demo activity: 2500 events and \d+ conversation records, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2} \(seed \d+\)\n/,
    );
    expect(first.stdout).toMatch(
      /\nevents: 2500 rows \(email \d+, media \d+, text \d+, voice \d+, whatsapp \d+\)\n/,
    );
    expect(first.stdout).toMatch(/\nconversations: \d+ rows \(whatsapp \d+\)\n/);
    expect(first.stdout).toMatch(
      /\nCount by message channel\nchannel +\| count\(channel\)\n[-+]+\n(\S+ +\| +\d+\n){5}\(5 rows\)\n/,
    );
    expect(first.stdout).toMatch(
      /\nSMS costs by country\ncountry +\| total_sms_cost +\| total_carrier_cost\n[-+]+\n(?:[A-Z]{2} +\| +[\d.]+ +\| +[\d.]+\n)+/,
    );
    expect(first.stdout).toMatch(
      /\nEmail Performance by hour \(last 6 rows\)\ntime_window +\| sent_count +\| delivered_count +\| bounced_count +\| complaint_count\n[-+]+\n(?:.+\n){6}\(6 rows\)\n/,
    );
    const byCampaign =
      /\nEmail delivery and open rate by campaign \(email_conversion_rates_view\)\ncampaign +\| sent +\| delivered +\| opened +\| delivery_rate +\| open_rate\n[-+]+\n((?:\S+ +\| +\d+ \| +\d+ \| +\d+ \| +[\d.]+ \| +[\d.]+\n)+)\(\d+ rows?\)\n$/.exec(
        first.stdout,
      );
    expect(byCampaign).not.toBeNull();
    const printedSent = (byCampaign?.[1] ?? '')
      .trim()
      .split('\n')
      .reduce((sum, line) => sum + Number(line.split('|')[1]), 0);
    const engine = await openQueryEngine({ lake });
    const messages = await engine.query('SELECT count(*) AS n FROM email_message_status');
    engine.close();
    expect(messages.ok && Number(messages.value.rows[0].n)).toBe(printedSent);
    expect(first.stdout).not.toContain('query failed');
  });

  it('adds nothing when run again the same day', async () => {
    const again = await runDemo(['--lake', lake, '--events', '2500']);

    expect(again.stdout).toMatch(
      /\nevents: already in the lake \(ingest \S+, [\dT:.Z-]+\); not added again\n/,
    );
    expect(again.stdout).toMatch(/\nconversations: already in the lake/);
    const engine = await openQueryEngine({ lake });
    const count = await engine.query('SELECT count(*) AS n FROM "engagementdb-events-table"');
    engine.close();
    expect(count.ok && Number(count.value.rows[0].n)).toBe(2500);
  });

  it.each(['0', 'many', '2.5', '5000001'])('exits with status 2 when given --events %s', async (events) => {
    const run = await runDemo(['--lake', lake, '--events', events]);

    expect(run.error).toMatchObject({ name: 'CliError', exitStatus: ExitStatus.unusable });
    expect(run.error?.message).toBe(
      `--events is ${JSON.stringify(events)}; expected a whole number from 1 to 5000000, e.g. --events 20000`,
    );
  });
});
