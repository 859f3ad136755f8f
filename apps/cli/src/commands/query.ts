import * as fs from 'node:fs';
import { Command } from 'commander';
import { recoverLake, resolveLakeDirectory } from '@engagement-db/lake';
import {
  type QueryColumn,
  type QueryLimits,
  SqlEngineError,
  checkLakePath,
  defaultQueryLimits,
  openQueryEngine,
} from '@engagement-db/sql';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';

/** How `query` prints its rows. */
export const QueryOutputFormat = {
  table: 'table',
  json: 'json',
  csv: 'csv',
} as const;
export type QueryOutputFormat = (typeof QueryOutputFormat)[keyof typeof QueryOutputFormat];

interface QueryCommandOptions {
  readonly lake?: string;
  readonly format?: string;
  readonly file?: string;
  readonly timeout?: string;
  readonly memoryLimit?: string;
}

/**
 * `engagement-db query`: runs Athena SQL on the local lake and prints the rows as an aligned table
 * (the default on a terminal), JSON Lines (the default otherwise) or CSV. The SQL comes from the
 * argument, from `-f FILE`, or from stdin. Only statements that read run, and only the lake's files
 * can be read (see `@engagement-db/sql`). A bad or refused query prints the engine's message and
 * exits with 2.
 *
 * @example
 * ```sh
 * engagement-db query 'SELECT channel, count(*) AS events FROM "engagementdb-events-table" GROUP BY 1'
 * engagement-db query --format csv -f weekly-report.sql > report.csv
 * ```
 */
export function queryCommand(streams: CommandStreams = processStreams): Command {
  return new Command('query')
    .description(
      'Run Athena SQL on the local lake ("engagementdb-glue-db"."engagementdb-events-table", ...).',
    )
    .argument('[sql]', 'the query; read from -f FILE, or from stdin when neither is given')
    .option('--lake <dir>', 'the lake folder (default: $ENGAGEMENT_DB_LAKE, else ./engagement-lake)')
    .option(
      '--format <format>',
      'table, json (one object per line) or csv (default: table on a terminal, else json)',
    )
    .option('-f, --file <file>', 'read the query from FILE')
    .option(
      '--timeout <seconds>',
      `stop the query after this long (default: ${defaultQueryLimits.timeMillis / 1000})`,
    )
    .option(
      '--memory-limit <size>',
      `most memory the query may use, e.g. 2GiB (default: ${defaultQueryLimits.memory})`,
    )
    .action(async (sql: string | undefined, options: QueryCommandOptions) => {
      const format = outputFormat(options.format, streams.stdout.isTTY === true);
      const athenaSql = await querySource(sql, options.file, streams.stdin);
      const lake = lakeFolder(options.lake);
      const engine = await openEngine(lake, queryLimits(options));
      try {
        recoverInterruptedIngests(lake, streams.stderr);
        const result = await engine.query(athenaSql);
        if (!result.ok) throw new CliError(result.message, ExitStatus.unusable);
        streams.stdout.write(formatRows(format, result.columns, result.rows));
      } finally {
        engine.close();
      }
    });
}

function outputFormat(requested: string | undefined, onTerminal: boolean): QueryOutputFormat {
  if (requested === undefined) return onTerminal ? QueryOutputFormat.table : QueryOutputFormat.json;
  const known = Object.values(QueryOutputFormat).find((format) => format === requested);
  if (!known) {
    throw new CliError(`query: --format is ${JSON.stringify(requested)}, expected table, json or csv.`);
  }
  return known;
}

async function querySource(
  sql: string | undefined,
  file: string | undefined,
  stdin: CommandStreams['stdin'],
): Promise<string> {
  if (sql !== undefined && file !== undefined) {
    throw new CliError('query: give the SQL either as the argument or with -f FILE, not both.');
  }
  const text = sql ?? (file !== undefined ? readQueryFile(file) : await readStdin(stdin));
  if (text.trim() === '') {
    throw new CliError(
      `query: the SQL ${file !== undefined ? `in ${file} ` : ''}is empty; give a query to run.`,
    );
  }
  return text;
}

function readQueryFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `query: cannot read the SQL file ${file}: ${(error as Error).message}`,
      ExitStatus.unusable,
      {
        cause: error,
      },
    );
  }
}

async function readStdin(stdin: CommandStreams['stdin']): Promise<string> {
  if (stdin.isTTY) {
    throw new CliError('query: no SQL given; pass it as the argument, with -f FILE, or on stdin.');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// `--lake ''` is refused, not taken for "not given"; the path is checked as every command checks it.
function lakeFolder(flag: string | undefined): string {
  const checked = checkLakePath(flag ?? resolveLakeDirectory());
  if (!checked.ok) throw new CliError(checked.error);
  return checked.value;
}

// An ingest killed while moving its files into place is finished first, so a query sees it whole.
// That is the writer's job, done here only when this process may write the lake (root may, whatever
// the permissions say, unless the files are immutable or the file system is read-only).
function recoverInterruptedIngests(lake: string, stderr: CommandStreams['stderr']): void {
  try {
    fs.accessSync(lake, fs.constants.W_OK);
  } catch (error) {
    stderr.write(
      `engagement-db: note: ${lake} is not writable (${(error as NodeJS.ErrnoException).code}), so ingests interrupted while committing are not recovered; ingest or serve recovers them.\n`,
    );
    return;
  }
  recoverLake(lake);
}

function queryLimits(options: QueryCommandOptions): QueryLimits {
  const seconds = options.timeout === undefined ? undefined : Number(options.timeout);
  if (seconds !== undefined && !(seconds > 0 && Number.isFinite(seconds))) {
    throw new CliError(
      `query: --timeout is ${JSON.stringify(options.timeout)}; expected seconds above 0, e.g. --timeout 30`,
    );
  }
  return { timeMillis: seconds === undefined ? undefined : seconds * 1000, memory: options.memoryLimit };
}

async function openEngine(lake: string, limits: QueryLimits) {
  try {
    return await openQueryEngine({ lake, limits });
  } catch (error) {
    if (error instanceof SqlEngineError)
      throw new CliError(error.message, ExitStatus.unusable, { cause: error });
    throw error;
  }
}

/**
 * Rows as `query` prints them in a format.
 *
 * @example formatRows('csv', [{ name: 'n', type: 'bigint' }], [{ n: 3 }]) // 'n\r\n3\r\n'
 */
export function formatRows(
  format: QueryOutputFormat,
  columns: readonly QueryColumn[],
  rows: readonly Record<string, unknown>[],
): string {
  switch (format) {
    case QueryOutputFormat.json:
      return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    case QueryOutputFormat.csv:
      return [columns.map((c) => c.name), ...rows.map((row) => columns.map((c) => cellText(row[c.name], '')))]
        .map((fields) => `${fields.map(csvField).join(',')}\r\n`)
        .join('');
    case QueryOutputFormat.table:
      return alignedTable(columns, rows);
  }
}

function cellText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function alignedTable(columns: readonly QueryColumn[], rows: readonly Record<string, unknown>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(row[c.name], 'NULL').replace(/\r?\n/g, '\\n')));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((line) => line[i].length)));
  const numeric = columns.map((c) => /^(tinyint|smallint|integer|bigint|real|double|decimal)/.test(c.type));
  const line = (fields: readonly string[]) =>
    fields
      .map((field, i) => (numeric[i] ? field.padStart(widths[i]) : field.padEnd(widths[i])))
      .join(' | ')
      .trimEnd();
  const header = line(columns.map((c) => c.name));
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  return [header, rule, ...cells.map(line), count].map((text) => `${text}\n`).join('');
}
