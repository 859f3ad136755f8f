// The dashboard as a person sees it: the built `engagement-db dashboard` on a demo lake, in Debian's Chromium.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { type Sheet, engagementDashboard, formatValue } from '@engagement-db/dashboards';
import { type QueryEngine, openQueryEngine } from '@engagement-db/sql';
import {
  type RunningDashboard,
  type SheetRender,
  chromiumPath,
  launchChromium,
  openSheet,
  runBuiltCli,
  startBuiltDashboard,
  waitForReady,
} from '../../test/dashboard-browser';
import { rowsOfVisual, sameValue, tempFolder } from '../../test/dashboard-lake';

const appRoot = path.join(__dirname, '..', '..');
// The README's screenshots are refreshed with ENGAGEMENT_DB_SCREENSHOTS=<repository>/docs; otherwise they
// are written to a folder of their own, so a test run leaves the working tree as it was.
const screenshots =
  process.env.ENGAGEMENT_DB_SCREENSHOTS ??
  fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-dashboard-shots-'));
const demoEvents = 20_000;

interface KpiOnPage {
  readonly kpi: string;
  readonly value: string;
  readonly text: string;
}

// Page-side code is given as text: this project's TypeScript knows Node, not the DOM.
function kpisOn(page: Page): Promise<KpiOnPage[]> {
  return page.evaluate(`[...document.querySelectorAll('[data-kpi]')].map((card) => ({
    kpi: card.dataset.kpi,
    value: card.dataset.value,
    text: card.querySelector('.kpi-value').textContent,
  }))`);
}

function pageVersion(page: Page): Promise<string> {
  return page.evaluate('document.body.dataset.version');
}

/** Every KPI of the sheet shows the number its SQL gives (raw in data-value, formatted in the text). */
async function expectKpisOfSql(page: Page, engine: QueryEngine, sheet: Sheet, selection = {}): Promise<void> {
  const shown = await kpisOn(page);
  expect(shown.map((kpi) => kpi.kpi)).toEqual(sheet.kpis.map((kpi) => `${sheet.id}.${kpi.id}`));
  for (const [index, kpi] of sheet.kpis.entries()) {
    const expected = (await rowsOfVisual(engine, sheet.id, kpi.id, selection))[0][kpi.measure.id];
    const raw = shown[index].value === '' ? null : Number(shown[index].value);
    expect({ kpi: shown[index].kpi, same: sameValue(raw, expected), raw, expected }).toEqual({
      kpi: shown[index].kpi,
      same: true,
      raw,
      expected,
    });
    expect(shown[index].text).toBe(formatValue(expected, kpi.measure.format));
  }
}

// CI must run this test (`.ci/run` installs Chromium, and a missing one fails it there); on a machine without
// Debian's Chromium it is skipped, saying how to run it, so `npm test` needs only Node and npm.
const skipWithoutChromium = !fs.existsSync(chromiumPath) && !process.env.CI;
if (skipWithoutChromium) {
  process.stdout.write(
    `dashboard browser test skipped: no Chromium at ${chromiumPath}; \`apt-get install -y chromium\` (as root) runs it\n`,
  );
}

// eslint-disable-next-line no-restricted-properties -- skipped only where Chromium cannot run, as said above
(skipWithoutChromium ? describe.skip : describe)('engagement-db dashboard in a browser', () => {
  let lake: string;
  let engine: QueryEngine;
  let dashboard: RunningDashboard;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    execFileSync(process.execPath, ['build.mjs'], { cwd: appRoot, stdio: 'pipe' });
    lake = tempFolder('dashboard-browser');
    await runBuiltCli(['demo', '--events', String(demoEvents), '--lake', lake]);
    engine = await openQueryEngine({ lake });
    dashboard = await startBuiltDashboard(lake);
    // The server opens its query engine on the first request: the lake's status, as the page asks it first.
    expect((await fetch(new URL('api/lake', dashboard.url))).status).toBe(200);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A request the page itself gave up on (a newer filter choice, a new sheet) is no failure.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED')
        problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    engine?.close();
    if (lake) fs.rmSync(lake, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it('renders every sheet with the numbers its SQL gives, and writes a screenshot of each', async () => {
    const renders: [string, SheetRender][] = [];
    for (const sheet of engagementDashboard.sheets) {
      const render = await openSheet(page, dashboard.url, sheet.id);
      renders.push([sheet.id, render]);

      await expectKpisOfSql(page, engine, sheet);
      for (const visual of sheet.visuals) {
        const rows = await rowsOfVisual(engine, sheet.id, visual.id);
        const card = page.locator(`[data-visual="${sheet.id}.${visual.id}"]`);
        if (rows.length === 0) await expect(card.locator('.visual-empty').count()).resolves.toBe(1);
        else if (visual.kind === 'table')
          await expect(card.locator('tbody tr').count()).resolves.toBe(rows.length);
        else await expect(card.locator('svg path').count()).resolves.toBeGreaterThan(rows.length > 1 ? 1 : 0);
      }
      const screenshot = path.join(screenshots, `dashboard-${sheet.id}.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);
    }
    process.stdout.write(
      `dashboard first render (navigation to ready, the server's engine open), demo lake of ` +
        `${demoEvents.toLocaleString('en-US')} events, target < 1 s, ` +
        'on a machine shared with other work:\n' +
        renders
          .map(
            ([sheet, render]) =>
              `  ${sheet.padEnd(8)} ${render.firstRenderMs.toFixed(0).padStart(5)} ms  (its statement: ` +
              `${render.statement.wallMs.toFixed(0)} ms wall, ${render.statement.cpuMs.toFixed(0)} ms CPU)`,
          )
          .join('\n') +
        '\n',
    );
  }, 600_000);

  it('narrows every KPI to a date range chosen with the date control, as the SQL with that range', async () => {
    const sms = engagementDashboard.sheets.find((sheet) => sheet.id === 'sms')!;
    await openSheet(page, dashboard.url, 'sms');
    const before = await kpisOn(page);
    const first = await page.getAttribute('input[name="from"]', 'min');
    const from = new Date(Date.parse(`${first}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.parse(`${first}T00:00:00Z`) + 5 * 86_400_000).toISOString().slice(0, 10);

    await page.fill('input[name="from"]', from);
    await page.fill('input[name="to"]', to);
    await page.waitForURL((url) => url.searchParams.get('to') === to);
    await waitForReady(page, 'sms');

    const after = await kpisOn(page);
    await expectKpisOfSql(page, engine, sms, { date: { from, to } });
    expect(Number(after[0].value)).toBeLessThan(Number(before[0].value));
    expect(new URL(page.url()).searchParams.get('from')).toBe(from);
  }, 300_000);

  it('refreshes the numbers when new data lands in the lake', async () => {
    const whatsapp = engagementDashboard.sheets.find((sheet) => sheet.id === 'whatsapp')!;
    await openSheet(page, dashboard.url, 'whatsapp');
    const version = await pageVersion(page);
    const before = await kpisOn(page);

    await runBuiltCli(['demo', '--events', '800', '--lake', lake]);
    await page.waitForSelector(
      `body:not([data-version=${JSON.stringify(version)}])[data-ready="true"] section[data-sheet="whatsapp"]`,
      { timeout: 120_000 },
    );

    await expectKpisOfSql(page, engine, whatsapp);
    expect(Number((await kpisOn(page))[0].value)).toBeGreaterThan(Number(before[0].value));
  }, 300_000);

  it('shows how to fill a lake that is not there yet, then its data once demo fills it', async () => {
    const parent = tempFolder('dashboard-browser-later');
    const later = path.join(parent, 'lake');
    const waiting = await startBuiltDashboard(later);
    try {
      await page.goto(waiting.url);
      await page.waitForSelector('body[data-ready="true"] .empty-state');
      const advice = await page.textContent('.empty-state');

      await runBuiltCli(['demo', '--events', '300', '--lake', later]);
      await waitForReady(page, 'email');

      expect(advice).toContain(`npx engagement-db demo --lake ${later}`);
      expect(advice).toContain(`npx engagement-db serve --lake ${later}`);
      const laterEngine = await openQueryEngine({ lake: later });
      try {
        await expectKpisOfSql(page, laterEngine, engagementDashboard.sheets[0]);
      } finally {
        laterEngine.close();
      }
    } finally {
      // Away from the page first: its polling of a stopped server would fail.
      await page.goto('about:blank');
      await waiting.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  }, 300_000);
});
