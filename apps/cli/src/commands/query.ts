import * as fs from 'node:fs';
import { Command } from 'commander';
import { recoverLake } from '@engagement-db/lake';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { QueryOutputFormat, formatRows } from '../query-output';
import {
  type SharedOptions,
  lakeOf,
  lakeOption,
  noteUnlistedDataFiles,
  queryEngineOf,
  queryLimitOptions,
  queryLimitsOf,
} from '../shared-options';

interface QueryCommandOptions extends SharedOptions {
  readonly format?: string;
  readonly file?: string;
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
  const command = new Command('query')
    .description(
      'Run Athena SQL on the local lake ("engagementdb-glue-db"."engagementdb-events-table", ...).',
    )
    .argument('[sql]', 'the query; read from -f FILE, or from stdin when neither is given')
    .addOption(lakeOption())
    .option(
      '--format <format>',
      'table, json (one object per line) or csv (default: table on a terminal, else json)',
    )
    .option('-f, --file <file>', 'read the query from FILE');
  for (const option of queryLimitOptions()) command.addOption(option);
  return command.action(async (sql: string | undefined, options: QueryCommandOptions) => {
    const format = outputFormat(options.format, streams.stdout.isTTY === true);
    const athenaSql = await querySource(sql, options.file, streams.stdin);
    const lake = lakeOf(options, streams.env);
    const engine = await queryEngineOf(lake, queryLimitsOf(options, 'query'));
    try {
      recoverInterruptedIngests(lake, streams.stderr);
      noteUnlistedDataFiles(lake, streams.stderr);
      const result = await engine.query(athenaSql);
      if (!result.ok) throw new CliError(result.error.message, ExitStatus.unusable);
      streams.stdout.write(formatRows(format, result.value.columns, result.value.rows));
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
