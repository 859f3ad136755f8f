import { Command } from 'commander';
import { canonicalTables } from '@engagement-db/canonical-model';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { startFirehoseServer, type FirehoseServer } from '../serve/firehose-server';
import { ServeError } from '../serve/errors';
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
}

const streamNames = Object.values(canonicalTables).map((table) => table.deliveryStreamName);

/**
 * `engagement-db serve`: a local Amazon Data Firehose endpoint whose two delivery streams land in the lake.
 * Runs until SIGINT or SIGTERM, then delivers what is buffered and exits.
 *
 * @example
 * ```sh
 * engagement-db serve --lake ./engagement-lake --port 4573 --buffer-size 1 --buffer-interval 10
 * ```
 */
export function serveCommand(streams: CommandStreams = processStreams): Command {
  const log = (line: string): void => void streams.stdout.write(`${new Date().toISOString()} ${line}\n`);
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
    .action(async (options: ServeOptions) => {
      const server = await start(options, streams.env, log);
      streams.stdout.write(
        `engagement-db serve: Firehose endpoint ${server.url} (streams ${streamNames.join(', ')}); ` +
          'point an AWS SDK at it with ' +
          `new FirehoseClient({ endpoint: '${server.url}', region: 'us-east-1' }); Ctrl-C delivers and stops\n`,
      );
      const signal = await untilStopSignal();
      log(`${signal}: delivering buffered records and stopping`);
      await server.close();
    });
}

async function start(
  options: ServeOptions,
  env: CommandStreams['env'],
  log: (line: string) => void,
): Promise<FirehoseServer> {
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
  try {
    const accountId = accountIdOf(options, env);
    return await startFirehoseServer({
      lake: lakeOf(options, env),
      mapper: mapperOf(options, env),
      host: options.host,
      port,
      bufferBytes: Math.max(1, Math.round(bufferMiB * 2 ** 20)),
      bufferIntervalMs: Math.round(intervalSeconds * 1000),
      ...(accountId === undefined ? {} : { accountId }),
      log,
    });
  } catch (error) {
    if (error instanceof ServeError) throw new CliError(error.message, ExitStatus.unusable, { cause: error });
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

function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
