// What the dashboard's browser test and benchmark share: the built command run as a child process, Debian's
// Chromium driven by playwright-core with a fresh profile, and a sheet opened and timed until it is ready.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { tempFolder } from './dashboard-lake';

const appRoot = path.join(__dirname, '..');
const bin = path.join(appRoot, 'bin', 'engagement-db.js');

/** Where Debian's `chromium` package puts the browser. */
export const chromiumPath = '/usr/bin/chromium';

/** Runs the built command to its end; rejects with its output when it fails. */
export function runBuiltCli(args: readonly string[], timeoutMs = 600_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`engagement-db ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** `engagement-db dashboard` running as a child process of the built command. */
export interface RunningDashboard {
  readonly url: string;
  readonly child: ChildProcess;
  /** Output so far, both streams. */
  output(): string;
  /** SIGTERM, then its exit status. */
  stop(): Promise<number | null>;
}

/** Starts the built `engagement-db dashboard` on `lake` and any free port; resolves once it printed its address. */
export function startBuiltDashboard(lake: string, args: readonly string[] = []): Promise<RunningDashboard> {
  const child = spawn(process.execPath, [bin, 'dashboard', '--lake', lake, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const seen = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /engagement-db dashboard: (http:\/\/\S+\/) /.exec(output);
      if (match) {
        resolve({
          url: match[1],
          child,
          output: () => output,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    void exited.then((code) =>
      reject(new Error(`engagement-db dashboard exited (${code}) before printing its address:\n${output}`)),
    );
  });
}

/**
 * Debian's Chromium, headless, with a profile of its own. Fails when it is not installed, saying how to install it.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `The dashboard's browser test needs Debian's Chromium at ${chromiumPath}, which is missing. Install it with ` +
        '`apt-get install -y chromium` (as root; .ci/run does it), then run the tests again.',
    );
  }
  const profile = tempFolder('dashboard-chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** How long a sheet took to show, and what its statement cost on the server. */
export interface SheetRender {
  /** From the navigation to `document.body.dataset.ready === 'true'` with the sheet on the page. */
  readonly firstRenderMs: number;
  /** The sheet's statement on the server, when it ran (a cached answer repeats it). */
  readonly statement: { readonly wallMs: number; readonly cpuMs: number };
}

/** Opens `/?sheet=<id>` and waits until everything on it is drawn. */
export async function openSheet(page: Page, url: string, sheet: string, search = ''): Promise<SheetRender> {
  const answer = page.waitForResponse(
    (response) => new URL(response.url()).pathname === `/api/sheets/${sheet}`,
    {
      timeout: 120_000,
    },
  );
  const started = performance.now();
  await page.goto(`${url}?sheet=${sheet}${search}`);
  await waitForReady(page, sheet);
  const firstRenderMs = performance.now() - started;
  const body = (await (await answer).json()) as { timing: SheetRender['statement'] };
  return { firstRenderMs, statement: body.timing };
}

/** Waits until the page says it is ready with the sheet on it. */
export async function waitForReady(page: Page, sheet: string): Promise<void> {
  await page.waitForSelector(`body[data-ready="true"] section[data-sheet="${sheet}"]`, { timeout: 120_000 });
}
