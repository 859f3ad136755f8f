import * as os from 'node:os';
import { Option } from 'commander';
import { TableName, isTableName } from '@engagement-db/canonical-model';
import { CommittedDataFiles, resolveLakeDirectory } from '@engagement-db/lake';
import {
  type Mapper,
  MapperError,
  compileTemplates,
  createMapper,
  loadTemplateDirectory,
} from '@engagement-db/mapper';
import {
  type QueryEngine,
  type QueryLimits,
  SqlEngineError,
  checkLakePath,
  defaultQueryLimits,
  checkQueryLimits,
  openQueryEngine,
} from '@engagement-db/sql';
import { CliError, ExitStatus } from './cli-error';
import { type CommandStreams, processStreams } from './command-streams';
import { terminalText } from './terminal-text';

/** The options the commands share, as commander parses them; each command declares the ones it takes. */
export interface SharedOptions {
  readonly lake?: string;
  readonly timeout?: string;
  readonly memoryLimit?: string;
  readonly templates?: string;
  readonly accountId?: string;
  readonly table?: string;
  /** The former name of `--table`, still accepted so that existing scripts keep working. */
  readonly stream?: string;
}

/**
 * `--lake DIR`: the lake folder.
 *
 * @example new Command('query').addOption(lakeOption())
 */
export function lakeOption(): Option {
  return new Option('--lake <dir>', 'the lake folder (default: $ENGAGEMENT_DB_LAKE, else ./engagement-lake)');
}

/** `--templates DIR`: the user's own templates, for {@link mapperOf}. */
export function templatesOption(): Option {
  return new Option(
    '--templates <dir>',
    'map with your own ses.vm, messaging.vm, whatsapp-message.vm and whatsapp-status.vm in this folder',
  );
}

/** `--account-id ID`: the account of events that carry none, for {@link mapperOf}. */
export function accountIdOption(): Option {
  return new Option(
    '--account-id <id>',
    'the AWS account id for events that carry none (default: $AWS_ACCOUNT_ID)',
  );
}

/** `--table events|conversations`: the table the records are for; see {@link tableOf}. */
export function tableOption(): Option {
  return new Option(
    '--table <table>',
    'the table the records are for: events, or conversations for chatbot conversation records (default: events)',
  );
}

/** `--stream`, the former name of `--table`, hidden from the help and still accepted by {@link tableOf}. */
export function streamOption(): Option {
  return new Option('--stream <table>', 'the former name of --table').hideHelp();
}

/**
 * The absolute lake folder: `--lake`, else `$ENGAGEMENT_DB_LAKE`, else `./engagement-lake`, checked as
 * every command checks it (`--lake ''` is refused, not taken for "not given"; so is a path DuckDB
 * would read as a file pattern). Throws CliError (exit status 2) with the reason.
 */
export function lakeOf(options: SharedOptions, env: CommandStreams['env']): string {
  const checked = checkLakePath(options.lake ?? resolveLakeDirectory(undefined, env));
  if (!checked.ok) throw new CliError(checked.error);
  return checked.value;
}

/** The account id: `--account-id`, else `$AWS_ACCOUNT_ID`, else none. */
export function accountIdOf(options: SharedOptions, env: CommandStreams['env']): string | undefined {
  return options.accountId ?? (env.AWS_ACCOUNT_ID || undefined);
}

/**
 * The mapper the options make: the templates of `--templates` (else the bundled ones) and the
 * account id of {@link accountIdOf}. Says once on `stderr` which templates of the folder are
 * interpreted rather than compiled, and why. Throws CliError (exit status 2) for templates that
 * cannot be loaded or compiled, with the mapper's reason.
 */
export function mapperOf(
  options: SharedOptions,
  env: CommandStreams['env'],
  stderr: CommandStreams['stderr'] = processStreams.stderr,
): Mapper {
  const accountId = accountIdOf(options, env);
  if (options.templates === undefined) return createMapper({ accountId });
  try {
    const templates = compileTemplates(loadTemplateDirectory(options.templates));
    for (const notice of templates.notices) stderr.write(`engagement-db: ${notice}\n`);
    return createMapper({ templates, accountId });
  } catch (error) {
    if (error instanceof MapperError)
      throw new CliError(`--templates ${options.templates}: ${error.message}`, undefined, { cause: error });
    throw error;
  }
}

/** The table of `--table` (or `--stream`), events by default; throws CliError for any other name. */
export function tableOf(options: SharedOptions): TableName {
  const [flag, name] =
    options.table !== undefined ? ['--table', options.table] : ['--stream', options.stream];
  if (name === undefined) return TableName.events;
  if (!isTableName(name)) {
    throw new CliError(
      `${flag} is ${JSON.stringify(name)}, expected ${Object.values(TableName).join(' or ')}.`,
    );
  }
  return name;
}

// Measured on 2 cores (1M events): 2 workers ~24,700 events/s, 1 worker ~17,200, none ~9,600; the
// main thread (reading, hashing, spooling) and DuckDB share the cores with them. Untried beyond 2.
const maxDefaultWorkers = 2;

/**
 * Mapping worker threads an ingest uses unless `--workers` says otherwise: none on a single core
 * (they would only take turns with the main thread), else as many as the cores, at most 2.
 *
 * @example defaultMappingWorkers(2) // 2
 */
export function defaultMappingWorkers(cores: number = os.availableParallelism()): number {
  return cores < 2 ? 0 : Math.min(maxDefaultWorkers, cores);
}

/**
 * `--timeout SECONDS` and `--memory-limit SIZE`: the query engine's limits for each query; see {@link queryLimitsOf}.
 *
 * @example queryLimitOptions(30).forEach((option) => command.addOption(option))
 */
export function queryLimitOptions(defaultSeconds = defaultQueryLimits.timeMillis / 1000): Option[] {
  return [
    new Option('--timeout <seconds>', `stop a query after this long (default: ${defaultSeconds})`),
    new Option(
      '--memory-limit <size>',
      `most memory a query may use, e.g. 2GiB (default: ${defaultQueryLimits.memory})`,
    ),
  ];
}

/**
 * The limits of `--timeout` (else `defaultSeconds`) and `--memory-limit`; throws CliError for a timeout that is
 * not a number of seconds above 0.
 */
export function queryLimitsOf(
  options: SharedOptions,
  command: string,
  defaultSeconds = defaultQueryLimits.timeMillis / 1000,
): QueryLimits {
  const seconds = options.timeout === undefined ? defaultSeconds : Number(options.timeout);
  if (!(seconds > 0 && Number.isFinite(seconds))) {
    throw new CliError(
      `${command}: --timeout is ${JSON.stringify(options.timeout)}; expected seconds above 0, e.g. --timeout 30`,
    );
  }
  return { timeMillis: seconds * 1000, memory: options.memoryLimit };
}

/**
 * Refuses limits the query engine would refuse (a memory limit DuckDB does not read as a size), for a command
 * that opens its engine only once a lake exists; the refusal is a CliError (exit status 2) with its message.
 */
export async function checkQueryLimitsOf(limits: QueryLimits): Promise<void> {
  await asCliError(() => checkQueryLimits(limits));
}

/**
 * The query engine over a lake, for the commands that read it. Each query reads the data files of the
 * ingests committed when it starts (`CommittedDataFiles`), so it never sees part of an ingest that is
 * being committed meanwhile. The engine's refusal of the lake (no lake at the path, limits it cannot
 * use) becomes a CliError (exit status 2) with its message.
 */
export async function queryEngineOf(lake: string, limits?: QueryLimits): Promise<QueryEngine> {
  const committed = new CommittedDataFiles(lake);
  return asCliError(() => openQueryEngine({ lake, limits, dataFiles: () => committed.current() }));
}

async function asCliError<T>(engineWork: () => Promise<T>): Promise<T> {
  try {
    return await engineWork();
  } catch (error) {
    if (error instanceof SqlEngineError)
      throw new CliError(error.message, ExitStatus.unusable, { cause: error });
    throw error;
  }
}

// Files named in the note; the rest are counted.
const namedUnlistedFiles = 3;

/**
 * Prints one line on stderr when the lake's hour folders hold data files that no committed ingest
 * lists (copied in by hand): queries do not read them, and `engagement-db adopt` adds them.
 */
export function noteUnlistedDataFiles(lake: string, stderr: CommandStreams['stderr']): void {
  const unlisted = new CommittedDataFiles(lake).unlisted();
  if (unlisted.length === 0) return;
  const named = unlisted.slice(0, namedUnlistedFiles).map((file) => file.path);
  const more = unlisted.length > named.length ? ` and ${unlisted.length - named.length} more` : '';
  const [files, are, them] = unlisted.length === 1 ? ['file', 'is', 'it'] : ['files', 'are', 'them'];
  const note =
    `${unlisted.length} Parquet ${files} in ${lake} ${are} in no committed ingest, so queries do not read ${them} ` +
    `(${named.join(', ')}${more}); run \`engagement-db adopt --lake ${lake}\` to add ${them}.`;
  stderr.write(`engagement-db: note: ${terminalText(note)}\n`);
}
