import { chromium } from 'playwright-core';
import * as fs from 'node:fs';
const dir = fs.mkdtempSync('/tmp/dash-work/profile-');
const browser = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', viewport: { width: 1440, height: 900 }, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = browser.pages()[0] ?? await browser.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
for (const sheet of process.argv.slice(3)) {
  const t = Date.now();
  await page.goto(`${process.argv[2]}/?sheet=${sheet}`);
  await page.waitForSelector(`body[data-ready="true"] [data-sheet="${sheet}"], body[data-ready="true"] .empty-state`, { timeout: 60000 });
  console.log(sheet, Date.now() - t, 'ms');
  await page.screenshot({ path: `/tmp/dash-work/${sheet}.png`, fullPage: true });
}
await browser.close();
