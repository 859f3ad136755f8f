import * as fs from 'node:fs';
import { Command } from 'commander';
import { LakeError, adoptDataFiles } from '@engagement-db/lake';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { terminalText } from '../terminal-text';
import { type SharedOptions, lakeOf, lakeOption } from '../shared-options';

/**
 * `engagement-db adopt`: makes the Parquet files that were copied into the lake's hour folders by hand
 * (from another lake, or from the S3 bucket of the AWS deployment) part of the lake, so queries read
 * them. Queries read only the files of committed ingests; `query` and `views` name the files they
 * leave out. A file DuckDB cannot read as Parquet with the table's columns is refused with the reason,
 * and the exit status is then 1.
 *
 * @example
 * ```sh
 * aws s3 sync s3://my-bucket/events/ ./engagement-lake/events/ && engagement-db adopt
 * ```
 */
export function adoptCommand(streams: CommandStreams = processStreams): Command {
  return new Command('adopt')
    .description(
      "Make Parquet files copied into the lake's hour folders by hand part of the lake, so queries read them.",
    )
    .addOption(lakeOption())
    .action(async (options: SharedOptions) => {
      const lake = lakeOf(options, streams.env);
      if (!fs.statSync(lake, { throwIfNoEntry: false })?.isDirectory()) {
        throw new CliError(
          `no lake at ${lake}: the folder does not exist; pass the lake folder with --lake.`,
        );
      }
      let report;
      try {
        report = await adoptDataFiles(lake);
      } catch (error) {
        if (error instanceof LakeError)
          throw new CliError(error.message, ExitStatus.unusable, { cause: error });
        throw error;
      }
      const { adopted, refused } = report;
      for (const manifest of adopted) {
        streams.stdout.write(
          `adopted ${manifest.dataFiles.length} files with ${manifest.rowsWritten} rows into ${manifest.table} ` +
            `(ingest ${manifest.ingestId})\n`,
        );
      }
      if (adopted.length === 0 && refused.length === 0) {
        streams.stdout.write(`nothing to adopt: every data file in ${lake} belongs to a committed ingest\n`);
      }
      for (const file of refused)
        streams.stderr.write(`${terminalText(`${file.path}: not adopted: ${file.reason}`)}\n`);
      if (refused.length > 0) {
        throw new CliError(
          `${refused.length} ${refused.length === 1 ? 'file was' : 'files were'} not adopted (listed above); queries do not read them`,
          ExitStatus.recordsFailed,
        );
      }
    });
}
