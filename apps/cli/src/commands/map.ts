import { Command } from 'commander';
import type { TableName } from '@engagement-db/canonical-model';
import type { Mapper, MappingFailure } from '@engagement-db/mapper';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { checkInputFiles, failureLine, readInputs, stdinInput } from '../record-reader';
import {
  type SharedOptions,
  accountIdOption,
  mapperOf,
  streamOption,
  tableOf,
  tableOption,
  templatesOption,
} from '../shared-options';

/**
 * `engagement-db map [FILE...]`: maps raw events (JSON Lines, or a file holding one pretty-printed
 * JSON document) from files or stdin to canonical rows, written as JSON Lines to stdout. Each record
 * that cannot be mapped is reported on stderr as `FILE:LINE: kind: message`; the good ones are still
 * written, and the exit status is 1 when any record failed.
 *
 * @example
 * ```sh
 * engagement-db map events.jsonl > rows.jsonl
 * cat bounce.json | engagement-db map --account-id 111122223333
 * engagement-db map --table conversations chat.jsonl
 * ```
 */
export function mapCommand(streams: CommandStreams = processStreams): Command {
  return new Command('map')
    .description(
      'Map raw SES, SMS/MMS/Voice and WhatsApp events (or conversation records) to canonical rows as JSON Lines.',
    )
    .argument('[file...]', 'JSON Lines files, or files holding one JSON document; "-" or none reads stdin')
    .addOption(tableOption())
    .addOption(streamOption())
    .addOption(templatesOption())
    .addOption(accountIdOption())
    .action(async (files: string[], options: SharedOptions) => {
      const table = tableOf(options);
      const mapper = mapperOf(options, streams.env, streams.stderr);
      const inputs = files.length === 0 ? [stdinInput] : files;
      await checkInputFiles(inputs);
      const tally = { records: 0, failures: 0 };
      for await (const record of readInputs(inputs, streams.stdin)) {
        tally.records++;
        const error = await writeMapped(mapper, table, record.text, streams.stdout);
        if (error) {
          tally.failures++;
          streams.stderr.write(`${failureLine(record.origin, record.line, error)}\n`);
        }
      }
      if (tally.failures > 0) {
        throw new CliError(
          `map: ${tally.failures} of ${tally.records} records failed`,
          ExitStatus.recordsFailed,
        );
      }
    });
}

/** Maps one record and writes its rows, waiting when stdout is full; returns the failure, if any. */
async function writeMapped(
  mapper: Mapper,
  table: TableName,
  text: string,
  stdout: CommandStreams['stdout'],
): Promise<MappingFailure | undefined> {
  const result = mapper.map(table, text);
  if (!result.ok) return result.error;
  const output = result.value.map((row) => `${JSON.stringify(row)}\n`).join('');
  if (output !== '' && !stdout.write(output) && stdout.once) {
    const drain = stdout.once.bind(stdout);
    await new Promise<void>((resolve) => drain('drain', resolve));
  }
  return undefined;
}
