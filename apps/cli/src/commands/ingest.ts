import { Command } from 'commander';
import type { TableName } from '@engagement-db/canonical-model';
import { type IngestFailure, type IngestReport, LakeError, ingest } from '@engagement-db/lake';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { checkInputFiles, failureLine, readInputs, stdinInput } from '../record-reader';
import {
  type SharedOptions,
  accountIdOption,
  defaultMappingWorkers,
  lakeOf,
  lakeOption,
  mapperOf,
  streamOption,
  tableOf,
  tableOption,
  templatesOption,
} from '../shared-options';

interface IngestCommandOptions extends SharedOptions {
  readonly force?: boolean;
  readonly workers: number;
}

// Failure lines printed before "... and N more"; the errors files keep all of them.
const printedFailureLimit = 20;
const progressIntervalMs = 250;

/**
 * `engagement-db ingest`: streams JSON Lines files, or files holding one pretty-printed JSON
 * document, (or stdin) through the mapper into the lake, all or nothing. Exit status 1 when some
 * records failed (they are kept in the lake's errors files).
 *
 * @example
 * ```sh
 * engagement-db ingest --lake ./engagement-lake events-2025-03-14.jsonl
 * cat conversations.jsonl | engagement-db ingest --table conversations -
 * ```
 */
export function ingestCommand(streams: CommandStreams = processStreams): Command {
  return new Command('ingest')
    .description(
      'Map JSON Lines raw events (files, or - for stdin) and add them to the lake, all or nothing.',
    )
    .argument(
      '[files...]',
      'JSON Lines files, or files holding one JSON document, to ingest; - reads stdin (the default when stdin is not a terminal)',
    )
    .addOption(lakeOption())
    .addOption(tableOption())
    .addOption(streamOption())
    .option('--force', 'ingest even when identical input was ingested before')
    .addOption(templatesOption())
    .addOption(accountIdOption())
    .option(
      '--workers <n>',
      'worker threads that map records; 0 maps on the main thread',
      workerCountOf,
      defaultMappingWorkers(),
    )
    .action(async (files: string[], options: IngestCommandOptions) => {
      await runIngest(files, options, streams);
    });
}

async function runIngest(
  files: string[],
  options: IngestCommandOptions,
  streams: CommandStreams,
): Promise<void> {
  const table = tableOf(options);
  const inputs = await inputsOf(files, streams);
  const mapper = mapperOf(options, streams.env);
  const lake = lakeOf(options, streams.env);
  const failures = new FailureLines();
  const progress = new ProgressLine(streams.stderr);
  let report: IngestReport;
  try {
    report = await ingest({
      lake,
      table,
      mapper,
      force: options.force === true,
      mappingWorkers: options.workers,
      records: readInputs(inputs, streams.stdin),
      onProgress: (p) => progress.update(p.records, p.bytes),
      onFailure: (f) => failures.add(f),
    });
  } catch (error) {
    if (error instanceof LakeError) {
      throw new CliError(error.message, ExitStatus.unusable, { cause: error });
    }
    throw error;
  } finally {
    progress.clear();
  }
  if (report.skippedAsDuplicateOf !== undefined) {
    streams.stdout.write(
      `skipped: identical input already ingested on ${report.duplicateCommittedAt ?? 'an earlier run'} ` +
        `(${report.skippedAsDuplicateOf}); use --force to ingest it again\n`,
    );
    return;
  }
  failures.print(streams.stderr);
  streams.stdout.write(summaryOf(report, lake, table));
  if (report.failures > 0) {
    throw new CliError(
      `${report.failures} of ${report.recordsRead} records failed; they are kept in the errors files listed above`,
      ExitStatus.recordsFailed,
    );
  }
}

/** The summary printed after an ingest: records read, rows per channel, failures and their files. */
function summaryOf(report: IngestReport, lake: string, table: TableName): string {
  const channels = Object.entries(report.rowsByChannel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, rows]) => `${channel} ${rows}`)
    .join(', ');
  const lines = [
    `ingested ${report.recordsRead} records into ${lake} (${table}, ingest ${report.ingestId})`,
    `rows written: ${report.rowsWritten}${channels ? ` (${channels})` : ''} in ${report.dataFiles.length} Parquet files`,
    `failures: ${report.failures}`,
    ...report.errorFiles.map((file) => `  ${file}`),
  ];
  return lines.join('\n') + '\n';
}

function workerCountOf(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text.trim()) || count > 64) {
    throw new CliError(`--workers ${text}: expected a whole number from 0 to 64 (0 maps on the main thread)`);
  }
  return count;
}

async function inputsOf(files: string[], streams: CommandStreams): Promise<string[]> {
  if (files.length === 0) {
    if (streams.stdin.isTTY) {
      throw new CliError('no input: give JSON Lines files to ingest, or - to read stdin');
    }
    return [stdinInput];
  }
  await checkInputFiles(files);
  return files;
}

/** Keeps the first failures to print and counts the rest. */
class FailureLines {
  private readonly lines: string[] = [];
  private more = 0;

  add({ origin, line, error }: IngestFailure): void {
    if (this.lines.length < printedFailureLimit) this.lines.push(failureLine(origin, line, error));
    else this.more += 1;
  }

  print(out: { write(text: string): unknown }): void {
    for (const line of this.lines) out.write(`${line}\n`);
    if (this.more > 0) out.write(`... and ${this.more} more (all are in the errors files)\n`);
  }
}

/** A one-line progress display on a terminal; silent when stderr is a file or a pipe. */
class ProgressLine {
  private readonly startedAt = Date.now();
  private shownAt = 0;
  private shown = false;

  constructor(private readonly out: { write(text: string): unknown; readonly isTTY?: boolean }) {}

  update(records: number, bytes: number): void {
    if (!this.out.isTTY) return;
    const now = Date.now();
    if (now - this.shownAt < progressIntervalMs) return;
    this.shownAt = now;
    const seconds = Math.max((now - this.startedAt) / 1000, 0.001);
    const rate = Math.round(records / seconds);
    this.out.write(`\r\x1b[K${records} records, ${rate} records/s, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[K');
    this.shown = false;
  }
}
