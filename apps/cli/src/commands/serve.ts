import { Command } from 'commander';
import { canonicalTables } from '@engagement-db/canonical-model';
import { LakeError } from '@engagement-db/lake';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { terminalText } from '../terminal-text';
import { isLoopback } from '../serve/allowed-hosts';
import { ServeError } from '../serve/errors';
import {
  startFirehoseServer,
  type FirehoseServer,
  type FirehoseServerOptions,
} from '../serve/firehose-server';
import {
  type SharedOptions,
  accountIdOf,
  accountIdOption,
  lakeOf,
  lakeOption,
  mapperOf,
  templatesOption,
} from '../shared-options';

interface ServeOptions extends SharedOptions {
  readonly host: string;
  readonly port: string;
  readonly bufferSize: string;
  readonly bufferInterval: string;
  readonly allowUnauthenticated?: boolean;
}

const streamNames = Object.values(canonicalTables).map((table) => table.deliveryStreamName);

// A closed terminal (SIGHUP) or Ctrl-C (SIGINT) or a service manager (SIGTERM): deliver, then stop.
const stopSignalNames: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * `engagement-db serve`: a local Amazon Data Firehose endpoint whose two delivery streams land in the lake.
 * A record is acknowledged once it is in the lake's spool on the disk. Runs until SIGINT, SIGTERM or SIGHUP,
 * then delivers what is spooled and exits; a second signal stops at once, keeping what is undelivered in the
 * spool for the next start. Exit status 1 when records stay undelivered in the spool.
 *
 * @example
 * ```sh
 * engagement-db serve --lake ./engagement-lake --port 4573 --buffer-size 1 --buffer-interval 10
 * ```
 */
export function serveCommand(streams: CommandStreams = processStreams): Command {
  // Log lines quote records and errors that came from the network: their control characters are escaped.
  const log = (line: string): void =>
    void streams.stdout.write(`${new Date().toISOString()} ${terminalText(line)}\n`);
  return new Command('serve')
    .description(
      `Receive records like Amazon Data Firehose (PutRecord, PutRecordBatch) on ${streamNames.join(' and ')}, ` +
        'and write them to the lake.',
    )
    .addOption(lakeOption())
    .option(
      '--host <address>',
      'the address to listen on; other machines can send only if it is not loopback',
      '127.0.0.1',
    )
    .option('--port <port>', 'the port to listen on, 0 for any free one', '4573')
    .option('--buffer-size <MiB>', 'deliver a stream to the lake once this many MiB wait', '5')
    .option('--buffer-interval <seconds>', 'deliver a stream once its oldest record waited this long', '60')
    .addOption(templatesOption())
    .addOption(accountIdOption())
    .option(
      '--allow-unauthenticated',
      'listen on an address other machines can reach without the warning that requests are not authenticated',
    )
    .action(async (options: ServeOptions) => {
      const serverOptions = serverOptionsOf(options, streams.env, log);
      const { lake } = serverOptions;
      // From here a stop signal is this command's to handle, also while the endpoint starts.
      const signals = stopSignals();
      const server = await start(serverOptions);
      // Log lines must not end the process once the terminal is gone (SIGHUP): the spool keeps the records.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      streams.stdout.write(
        `engagement-db serve: Firehose endpoint ${server.url} (streams ${streamNames.join(', ')}); ` +
          'point an AWS SDK at it with ' +
          `new FirehoseClient({ endpoint: '${server.url}', region: 'us-east-1' }); Ctrl-C delivers and stops\n`,
      );
      if (!isLoopback(options.host) && !options.allowUnauthenticated) {
        streams.stderr.write(
          `engagement-db serve: warning: listening on ${options.host}, which other machines can reach; requests are ` +
            `not authenticated, so anyone who reaches it can write to ${lake}. Listen on 127.0.0.1, or pass ` +
            '--allow-unauthenticated to accept this.\n',
        );
      }
      const signal = await signals.next();
      log(
        `${signal}: delivering spooled records and stopping (a second signal stops at once, keeping them in the spool)`,
      );
      const stopped = await Promise.race([server.close().then(() => undefined), signals.next()]);
      const left = server.pendingRecords();
      if (stopped !== undefined) {
        throw new CliError(
          `${stopped}: stopped at once; ${left} records stay in the spool of ${lake} and are delivered when serve ` +
            'starts again',
          ExitStatus.recordsFailed,
        );
      }
      if (left > 0) {
        throw new CliError(
          `${left} records could not be delivered to ${lake} (see the log above); they stay in its spool and are ` +
            'delivered when serve starts again',
          ExitStatus.recordsFailed,
        );
      }
    });
}

function serverOptionsOf(
  options: ServeOptions,
  env: CommandStreams['env'],
  log: (line: string) => void,
): FirehoseServerOptions {
  const bufferMiB = positiveNumber('--buffer-size', options.bufferSize, 'MiB, e.g. 5 or 0.5');
  const intervalSeconds = positiveNumber(
    '--buffer-interval',
    options.bufferInterval,
    'seconds, e.g. 60',
    true,
  );
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65_535) {
    throw new CliError(
      `--port is ${JSON.stringify(options.port)}; expected a whole number from 0 to 65535 (0: any free port)`,
    );
  }
  const accountId = accountIdOf(options, env);
  return {
    lake: lakeOf(options, env),
    mapper: mapperOf(options, env),
    host: options.host,
    port,
    bufferBytes: Math.max(1, Math.round(bufferMiB * 2 ** 20)),
    bufferIntervalMs: Math.round(intervalSeconds * 1000),
    ...(accountId === undefined ? {} : { accountId }),
    log,
  };
}

async function start(options: FirehoseServerOptions): Promise<FirehoseServer> {
  try {
    return await startFirehoseServer(options);
  } catch (error) {
    if (error instanceof ServeError || error instanceof LakeError) {
      throw new CliError(error.message, ExitStatus.unusable, { cause: error });
    }
    throw error;
  }
}

function positiveNumber(flag: string, text: string, unit: string, zeroAllowed = false): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) {
    throw new CliError(
      `${flag} is ${JSON.stringify(text)}; expected a ${zeroAllowed ? 'non-negative' : 'positive'} number of ${unit}`,
    );
  }
  return value;
}

/**
 * The stop signals this process receives from now on, one after another. The handlers stay for the life of
 * the process: between two signals there is no moment in which one would end it without delivering.
 */
function stopSignals(): { next(): Promise<NodeJS.Signals> } {
  const received: NodeJS.Signals[] = [];
  const waiting: ((signal: NodeJS.Signals) => void)[] = [];
  for (const name of stopSignalNames) {
    process.on(name, (signal: NodeJS.Signals) => {
      const waiter = waiting.shift();
      if (waiter) waiter(signal);
      else received.push(signal);
    });
  }
  return {
    next: () => {
      const signal = received.shift();
      return signal ? Promise.resolve(signal) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
