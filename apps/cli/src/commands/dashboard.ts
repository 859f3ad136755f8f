import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { engagementDashboard } from '@engagement-db/dashboards';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { type DashboardServer, startDashboardServer } from '../dashboard/dashboard-server';
import { DashboardServerError } from '../dashboard/errors';
import { isLoopback } from '../serve/allowed-hosts';
import { ServeError } from '../serve/errors';
import {
  type SharedOptions,
  checkQueryLimitsOf,
  lakeOf,
  lakeOption,
  queryLimitOptions,
  queryLimitsOf,
} from '../shared-options';

interface DashboardCommandOptions extends SharedOptions {
  readonly host: string;
  readonly port: string;
  readonly open?: boolean;
  readonly allowUnauthenticated?: boolean;
}

/** The default port: the one after serve's 4573. */
export const defaultDashboardPort = 4574;
// A sheet over a million events takes a few seconds; a query ten times longer is stuck, not slow.
const defaultTimeoutSeconds = 30;

/**
 * `engagement-db dashboard`: serves the engagement dashboard (its sheets, KPIs, charts, tables and filters) at
 * `http://127.0.0.1:4574/`, computed from the lake's analytics views and refreshed when new data lands, until
 * SIGINT, SIGTERM or SIGHUP. Only loopback unless `--allow-unauthenticated`: the page and its data have no login.
 *
 * @example
 * ```sh
 * engagement-db dashboard --lake ./engagement-lake --open
 * ```
 */
export function dashboardCommand(streams: CommandStreams = processStreams): Command {
  const command = new Command('dashboard')
    .description(
      `Show the engagement dashboard of the lake in a browser (http://127.0.0.1:${defaultDashboardPort}/), ` +
        'refreshed as data lands.',
    )
    .addOption(lakeOption())
    .option(
      '--host <address>',
      'the address to listen on; only loopback unless --allow-unauthenticated',
      '127.0.0.1',
    )
    .option('--port <port>', 'the port to listen on, 0 for any free one', String(defaultDashboardPort))
    .option('--open', 'open the dashboard in a browser, when this machine has one')
    .option(
      '--allow-unauthenticated',
      'listen on an address other machines can reach: anyone who reaches it can read the dashboard',
    );
  for (const option of queryLimitOptions(defaultTimeoutSeconds)) command.addOption(option);
  return command.action(async (options: DashboardCommandOptions) => {
    const lake = lakeOf(options, streams.env);
    const limits = queryLimitsOf(options, 'dashboard', defaultTimeoutSeconds);
    await checkQueryLimitsOf(limits);
    const port = portOf(options.port);
    if (!isLoopback(options.host) && !options.allowUnauthenticated) {
      throw new CliError(
        `dashboard: --host ${options.host} can be reached from other machines, and the dashboard has no login: ` +
          `anyone who reaches it can read what ${lake} holds. Listen on 127.0.0.1 (the default), or pass ` +
          '--allow-unauthenticated to accept this.',
      );
    }
    const signals = stopSignal();
    const server = await start(() =>
      startDashboardServer({
        lake,
        dashboard: engagementDashboard,
        host: options.host,
        port,
        limits,
        log: (line) => void streams.stderr.write(`engagement-db dashboard: ${line}\n`),
      }),
    );
    streams.stdout.write(`engagement-db dashboard: ${server.url} (lake ${lake}); Ctrl-C stops\n`);
    if (options.open) openBrowser(server.url, streams);
    await signals;
    await server.close();
  });
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliError(
      `dashboard: --port is ${JSON.stringify(text)}; expected a whole number from 0 to 65535 (0: any free port)`,
    );
  }
  return port;
}

async function start(starting: () => Promise<DashboardServer>): Promise<DashboardServer> {
  try {
    return await starting();
  } catch (error) {
    if (error instanceof ServeError || error instanceof DashboardServerError) {
      throw new CliError(`dashboard: ${error.message}`, ExitStatus.unusable, { cause: error });
    }
    throw error;
  }
}

/** Resolves at the first SIGINT (Ctrl-C), SIGTERM or SIGHUP. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, resolve);
  });
}

/**
 * Opens the address in the desktop's browser: `open` on macOS, `start` on Windows, `xdg-open` where a display
 * is (Linux and the BSDs). Without one (a server, a container) it only says so.
 */
function openBrowser(url: string, streams: CommandStreams): void {
  const opener =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '""', url]
        : streams.env.DISPLAY || streams.env.WAYLAND_DISPLAY
          ? ['xdg-open', url]
          : undefined;
  const cannot = (why: string): void =>
    void streams.stderr.write(
      `engagement-db dashboard: cannot open a browser (${why}); open ${url} yourself\n`,
    );
  if (!opener) {
    cannot('no display');
    return;
  }
  const child = spawn(opener[0], opener.slice(1), { stdio: 'ignore', detached: true });
  child.once('error', (error) => cannot(error.message));
  child.unref();
}
