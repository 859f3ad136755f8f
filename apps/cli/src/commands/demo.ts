import { Command } from 'commander';
import { TableName } from '@engagement-db/canonical-model';
import { type IngestReport, LakeError, type RawRecord, ingest } from '@engagement-db/lake';
import { createMapper } from '@engagement-db/mapper';
import { type TimedRecord, activityDays, generateActivity } from '@engagement-db/workload';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { demoSampleQueries, demoViewQuery } from '../demo/sample-queries';
import { QueryOutputFormat, formatRows } from '../query-output';
import {
  type SharedOptions,
  defaultMappingWorkers,
  lakeOf,
  lakeOption,
  queryEngineOf,
} from '../shared-options';

interface DemoCommandOptions extends SharedOptions {
  readonly events: string;
}

const defaultEvents = 20_000;
const largestEvents = 5_000_000;
// Starting mapping workers takes a moment; they pay off only for more records than this.
const fewestRecordsForWorkers = 5_000;

/**
 * `engagement-db demo`: makes realistic activity of every channel over the last 14 days, ingests
 * it through the real mapper into the lake, runs three of the documented sample queries, then answers
 * one question from an analytics view (delivery and open rate by campaign).
 * The activity depends only on the day and `--events`, so a second run the same day adds nothing.
 *
 * @example
 * ```sh
 * engagement-db demo --lake ./engagement-lake --events 50000
 * ```
 */
export function demoCommand(streams: CommandStreams = processStreams): Command {
  return new Command('demo')
    .description(
      `Fill the lake with ${activityDays} days of demo activity of every channel and run sample queries.`,
    )
    .addOption(lakeOption())
    .option('--events <n>', 'how many raw engagement events to make', String(defaultEvents))
    .action(async (options: DemoCommandOptions) => {
      await runDemo(options, streams);
    });
}

async function runDemo(options: DemoCommandOptions, streams: CommandStreams): Promise<void> {
  const events = eventCountOf(options.events);
  const lake = lakeOf(options, streams.env);
  const activity = generateActivity({ events });
  const out = (text: string): void => void streams.stdout.write(text);
  out(
    `demo activity: ${activity.events.length} events and ${activity.conversations.length} conversation records, ` +
      `${isoDate(activity.from)} to ${isoDate(activity.to)} (seed ${activity.seed})\n`,
  );

  const mapper = createMapper();
  const reports: [TableName, IngestReport][] = [];
  try {
    for (const table of Object.values(TableName)) {
      const items = activity[table];
      const mappingWorkers = items.length >= fewestRecordsForWorkers ? defaultMappingWorkers() : 0;
      reports.push([
        table,
        await ingest({ lake, table, mapper, mappingWorkers, records: recordsOf(items, `demo-${table}`) }),
      ]);
    }
  } catch (error) {
    if (error instanceof LakeError) throw new CliError(error.message, ExitStatus.unusable, { cause: error });
    throw error;
  }
  for (const [table, report] of reports) out(`${table}: ${ingestLine(report)}\n`);
  out(`lake: ${lake}\n`);

  const engine = await queryEngineOf(lake);
  try {
    for (const query of [...demoSampleQueries, demoViewQuery]) {
      const result = await engine.query(query.sql);
      out(`\n${query.title}${query.showLast === undefined ? '' : ` (last ${query.showLast} rows)`}\n`);
      if (!result.ok) {
        out(`  query failed: ${result.error.message}\n`);
        continue;
      }
      const { columns, rows } = result.value;
      out(
        formatRows(
          QueryOutputFormat.table,
          columns,
          query.showLast === undefined ? rows : rows.slice(-query.showLast),
        ),
      );
    }
  } finally {
    engine.close();
  }

  const failures = reports.reduce((sum, [, report]) => sum + report.failures, 0);
  if (failures > 0) {
    throw new CliError(
      `${failures} demo records could not be mapped; see the errors files listed above`,
      ExitStatus.recordsFailed,
    );
  }
}

function eventCountOf(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text.trim()) || count < 1 || count > largestEvents) {
    throw new CliError(
      `--events is ${JSON.stringify(text)}; expected a whole number from 1 to ${largestEvents}, e.g. --events ${defaultEvents}`,
    );
  }
  return count;
}

async function* recordsOf(items: readonly TimedRecord[], origin: string): AsyncGenerator<RawRecord> {
  for (let i = 0; i < items.length; i += 1) yield { text: items[i].text, origin, line: i + 1 };
}

function ingestLine(report: IngestReport): string {
  if (report.skippedAsDuplicateOf !== undefined) {
    return `already in the lake (ingest ${report.skippedAsDuplicateOf}, ${report.duplicateCommittedAt ?? 'earlier'}); not added again`;
  }
  const channels = Object.entries(report.rowsByChannel)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, rows]) => `${channel} ${rows}`)
    .join(', ');
  const failed = report.failures > 0 ? `; ${report.failures} failed: ${report.errorFiles.join(', ')}` : '';
  return `${report.rowsWritten} rows (${channels || 'none'})${failed}`;
}

function isoDate(epochMillis: number): string {
  return new Date(epochMillis).toISOString().slice(0, 10);
}
