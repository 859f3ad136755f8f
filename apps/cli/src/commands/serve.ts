import { Command } from 'commander';
import { DeliveryStream } from '@engagement-db/canonical-model';
import { LakeError, resolveLakeDirectory } from '@engagement-db/lake';
import { compileTemplates, createMapper, loadTemplateDirectory, type Mapper } from '@engagement-db/mapper';
import { CliError, ExitStatus } from '../cli-error';
import { isLoopback } from '../serve/allowed-hosts';
import {
  startFirehoseServer,
  type FirehoseServer,
  type FirehoseServerOptions,
} from '../serve/firehose-server';
import { ServeError } from '../serve/errors';

interface ServeOptions {
  readonly lake?: string;
  readonly host: string;
  readonly port: string;
  readonly bufferSize: string;
  readonly bufferInterval: string;
  readonly templates?: string;
  readonly accountId?: string;
  readonly allowUnauthenticated?: boolean;
}

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
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      `Receive records like Amazon Data Firehose (PutRecord, PutRecordBatch) on ${DeliveryStream.events} and ` +
        `${DeliveryStream.conversations}, and write them to the lake.`,
    )
    .option('--lake <dir>', 'the lake folder (default: $ENGAGEMENT_DB_LAKE, else ./engagement-lake)')
    .option(
      '--host <address>',
      'the address to listen on; other machines can send only if it is not loopback',
      '127.0.0.1',
    )
    .option('--port <port>', 'the port to listen on, 0 for any free one', '4573')
    .option('--buffer-size <MiB>', 'deliver a stream to the lake once this many MiB wait', '5')
    .option('--buffer-interval <seconds>', 'deliver a stream once its oldest record waited this long', '60')
    .option(
      '--templates <dir>',
      'map events with the Velocity templates in this folder instead of the bundled ones',
    )
    .option(
      '--account-id <id>',
      'the AWS account id for events that carry none, and in the streams\u2019 ARNs',
    )
    .option(
      '--allow-unauthenticated',
      'listen on an address other machines can reach without the warning that requests are not authenticated',
    )
    .action(async (options: ServeOptions) => {
      const lake = resolveLakeDirectory(options.lake);
      const serverOptions = serverOptionsOf(options, lake);
      // From here a stop signal is this command's to handle, also while the endpoint starts.
      const signals = stopSignals();
      const server = await start(serverOptions);
      // Log lines must not end the process once the terminal is gone (SIGHUP): the spool keeps the records.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
      process.stdout.write(
        `engagement-db serve: Firehose endpoint ${server.url} (streams ${DeliveryStream.events}, ` +
          `${DeliveryStream.conversations}); point an AWS SDK at it with ` +
          `new FirehoseClient({ endpoint: '${server.url}', region: 'us-east-1' }); Ctrl-C delivers and stops\n`,
      );
      if (!isLoopback(options.host) && !options.allowUnauthenticated) {
        process.stderr.write(
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

function serverOptionsOf(options: ServeOptions, lake: string): FirehoseServerOptions {
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
  return {
    lake,
    mapper: mapperOf(options),
    host: options.host,
    port,
    bufferBytes: Math.max(1, Math.round(bufferMiB * 2 ** 20)),
    bufferIntervalMs: Math.round(intervalSeconds * 1000),
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
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

function mapperOf(options: ServeOptions): Mapper {
  const accountId = options.accountId === undefined ? {} : { accountId: options.accountId };
  if (options.templates === undefined) return createMapper(accountId);
  try {
    return createMapper({
      templates: compileTemplates(loadTemplateDirectory(options.templates)),
      ...accountId,
    });
  } catch (error) {
    throw new CliError(
      `--templates ${options.templates}: ${error instanceof Error ? error.message : String(error)}`,
      ExitStatus.unusable,
      { cause: error },
    );
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

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
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
