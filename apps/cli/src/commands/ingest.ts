import * as fs from 'node:fs';
import * as os from 'node:os';
import { Command, Option } from 'commander';
import {
  type IngestFailure,
  type IngestReport,
  LakeError,
  LakeStream,
  type RawRecord,
  ingest,
  readJsonLines,
  resolveLakeDirectory,
} from '@engagement-db/lake';
import { type Mapper, compileTemplates, createMapper, loadTemplateDirectory } from '@engagement-db/mapper';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';

interface IngestCommandOptions {
  readonly lake?: string;
  readonly stream: LakeStream;
  readonly force?: boolean;
  readonly templates?: string;
  readonly accountId?: string;
  readonly workers: number;
}

/**
 * Failure lines printed before "... and N more"; the errors files keep all of them.
 *
 * @example failures.slice(0, printedFailureLimit)
 */
export const printedFailureLimit = 20;
const progressIntervalMs = 250;
// Measured on 2 cores (1M events): 2 workers ~24,700 events/s, 1 worker ~17,200, none ~9,600; the
// main thread (reading, hashing, spooling) and DuckDB share the cores with them. Untried beyond 2.
const maxDefaultWorkers = 2;

/**
 * Mapping worker threads `ingest` uses unless `--workers` says otherwise: none on a single core
 * (they would only take turns with the main thread), else as many as the cores, at most 2.
 *
 * @example defaultMappingWorkers(2) // 2
 */
export function defaultMappingWorkers(cores: number = os.availableParallelism()): number {
  return cores < 2 ? 0 : Math.min(maxDefaultWorkers, cores);
}
const stdinName = '-';

/**
 * `engagement-db ingest`: streams JSON Lines files (or stdin) through the mapper into the lake, all
 * or nothing. Exit status 1 when some records failed (they are kept in the lake's errors files).
 *
 * @example
 * ```sh
 * engagement-db ingest --lake ./engagement-lake events-2025-03-14.jsonl
 * cat conversations.jsonl | engagement-db ingest --stream conversations -
 * ```
 */
export function ingestCommand(streams: CommandStreams = processStreams): Command {
  return new Command('ingest')
    .description(
      'Map JSON Lines raw events (files, or - for stdin) and add them to the lake, all or nothing.',
    )
    .argument(
      '[files...]',
      'JSON Lines files to ingest; - reads stdin (the default when stdin is not a terminal)',
    )
    .option('--lake <dir>', 'the lake folder (default: $ENGAGEMENT_DB_LAKE, else ./engagement-lake)')
    .addOption(
      new Option('--stream <stream>', 'which table the records are for')
        .choices(Object.values(LakeStream))
        .default(LakeStream.events),
    )
    .option('--force', 'ingest even when identical input was ingested before')
    .option(
      '--templates <dir>',
      'map events with the Velocity templates in this folder instead of the bundled ones',
    )
    .option('--account-id <id>', 'the AWS account id for events that carry none')
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
  const inputs = checkedInputs(files, streams);
  const mapper = mapperOf(options);
  const lake = resolveLakeDirectory(options.lake);
  const failures = new FailureLines();
  const progress = new ProgressLine(streams.stderr);
  let report: IngestReport;
  try {
    report = await ingest({
      lake,
      stream: options.stream,
      mapper,
      force: options.force === true,
      mappingWorkers: options.workers,
      records: recordsOf(inputs, streams),
      onProgress: (p) => progress.update(p.records, p.bytes),
      onFailure: (f) => failures.add(f),
    });
  } catch (error) {
    if (error instanceof LakeError || error instanceof InputError) {
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
  streams.stdout.write(summaryOf(report, lake, options.stream));
  if (report.failures > 0) {
    throw new CliError(
      `${report.failures} of ${report.recordsRead} records failed; they are kept in the errors files listed above`,
      ExitStatus.recordsFailed,
    );
  }
}

/**
 * The summary printed after an ingest: records read, rows per channel, failures and their files.
 *
 * @example process.stdout.write(summaryOf(report, lake, 'events'))
 */
export function summaryOf(report: IngestReport, lake: string, stream: LakeStream): string {
  const channels = Object.entries(report.rowsByChannel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, rows]) => `${channel} ${rows}`)
    .join(', ');
  const lines = [
    `ingested ${report.recordsRead} records into ${lake} (${stream}, ingest ${report.ingestId})`,
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

class InputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

function checkedInputs(files: string[], streams: CommandStreams): string[] {
  if (files.length === 0) {
    if (streams.stdin.isTTY) {
      throw new CliError('no input: give JSON Lines files to ingest, or - to read stdin');
    }
    return [stdinName];
  }
  if (files.filter((file) => file === stdinName).length > 1) {
    throw new CliError('- (stdin) is given more than once; stdin can be read only once');
  }
  for (const file of files) {
    if (file === stdinName) continue;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat)
      throw new CliError(`cannot read ${file}: no such file; expected a JSON Lines file or - for stdin`);
    if (!stat.isFile())
      throw new CliError(`cannot read ${file}: not a file; expected a JSON Lines file or - for stdin`);
  }
  return files;
}

async function* recordsOf(inputs: string[], streams: CommandStreams): AsyncGenerator<RawRecord> {
  for (const input of inputs) {
    if (input === stdinName) {
      yield* readJsonLines(streams.stdin as AsyncIterable<Buffer>, '<stdin>');
      continue;
    }
    try {
      yield* readJsonLines(fs.createReadStream(input), input);
    } catch (error) {
      throw new InputError(`cannot read ${input}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function mapperOf(options: IngestCommandOptions): Mapper {
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
      {
        cause: error,
      },
    );
  }
}

/** Keeps the first failures to print and counts the rest. */
class FailureLines {
  private readonly lines: string[] = [];
  private more = 0;

  add({ origin, line, failure }: IngestFailure): void {
    if (this.lines.length < printedFailureLimit)
      this.lines.push(`${origin}:${line}: ${failure.kind}: ${failure.message}`);
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
