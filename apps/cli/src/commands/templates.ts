import * as path from 'node:path';
import { Command } from 'commander';
import {
  type CompiledTemplates,
  type EngineComparison,
  MapperError,
  type MappingResult,
  TemplateEngine,
  type TemplateName,
  compareEngines,
  compileTemplates,
  loadTemplateDirectory,
} from '@engagement-db/mapper';
import { generateActivity } from '@engagement-db/workload';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { checkInputFiles, readInputs } from '../record-reader';
import { type SharedOptions, accountIdOf, accountIdOption } from '../shared-options';

const defaultSamples = 2_000;
const largestSamples = 1_000_000;
// Sample events of a fixed day, so a check of the same templates always reads the same events.
const sampleDay = new Date(Date.UTC(2025, 2, 15));
const shownDisagreements = 5;

/** How one template fared in a check. */
export interface TemplateTally {
  readonly name: TemplateName;
  readonly file: string;
  readonly engine: TemplateEngine;
  readonly fallback?: string;
  /** Records rendered with the template. */
  records: number;
  /** Of those, the records the compiled code mapped by itself (the rest it left to the interpreter). */
  compiled: number;
  /** Where compiled and interpreted mapping differ, with both results. */
  readonly disagreements: string[];
}

/** A check's counts and the lines that report them. */
export interface TemplateCheckReport {
  readonly lines: readonly string[];
  readonly disagreements: number;
}

/**
 * `engagement-db templates check DIR [FILE...]`: for each template of a folder, says whether it
 * compiles to JavaScript or is interpreted (and why), and whether compiled and interpreted mapping
 * agree, record for record (rows or failure, and each row's JSON line), on sample events of every
 * channel and on the raw events of the files given. Exit status 0 when they agree, 1 when some
 * record is mapped differently, 2 when the folder or a file cannot be used.
 *
 * @example
 * ```sh
 * engagement-db templates check ./my-templates
 * engagement-db templates check ./my-templates events.jsonl --samples 0
 * ```
 */
export function templatesCommand(streams: CommandStreams = processStreams): Command {
  const check = new Command('check')
    .description(
      'Check a folder of templates: whether each compiles to JavaScript (or is interpreted, and why), and ' +
        'whether compiled and interpreted mapping agree on sample events of every channel and on the files given.',
    )
    .argument('<dir>', 'the folder of ses.vm, messaging.vm, whatsapp-message.vm and whatsapp-status.vm')
    .argument(
      '[file...]',
      'raw events to check with too: JSON Lines files, or files holding one JSON document; "-" reads stdin',
    )
    .option('--samples <count>', 'sample events of every channel to check with', String(defaultSamples))
    .addOption(accountIdOption())
    .action(async (dir: string, files: string[], options: SharedOptions & { samples: string }) => {
      const samples = sampleCountOf(options.samples);
      const templates = templatesOf(dir);
      checkInputFiles(files);
      const tallies = new Map<TemplateName, TemplateTally>(
        Object.values(templates.templates).map((template) => [
          template.name,
          {
            name: template.name,
            file: template.file,
            engine: template.engine,
            fallback: template.fallback,
            records: 0,
            compiled: 0,
            disagreements: [],
          },
        ]),
      );
      const compare = compareEngines(templates, { accountId: accountIdOf(options, streams.env) });
      const counts = { samples: 0, fileRecords: 0, untemplated: 0 };
      const add = (text: string, origin: string) => {
        const comparison = compare(text);
        if (comparison.templates.length === 0) counts.untemplated++;
        for (const name of new Set(comparison.templates)) {
          const tally = tallies.get(name) as TemplateTally;
          tally.records++;
          if (comparison.engine === TemplateEngine.compiled) tally.compiled++;
          if (!comparison.agree) tally.disagreements.push(`${origin}: ${differenceOf(comparison)}`);
        }
      };
      generateActivity({ events: samples, day: sampleDay })
        .events.slice(0, samples)
        .forEach((event, index) => {
          counts.samples++;
          add(event.text, `sample ${index + 1}`);
        });
      for await (const record of readInputs(files, streams.stdin)) {
        counts.fileRecords++;
        add(record.text, `${record.origin}:${record.line}`);
      }
      const report = templateCheckReport(path.resolve(dir), [...tallies.values()], counts);
      streams.stdout.write(report.lines.map((line) => `${line}\n`).join(''));
      if (report.disagreements > 0) {
        throw new CliError(
          `templates check: compiled and interpreted mapping disagree on ${report.disagreements} records; ` +
            'report it with the template and the records shown, and use the interpreted engine meanwhile',
          ExitStatus.recordsFailed,
        );
      }
    });
  return new Command('templates').description('Check Velocity templates of your own.').addCommand(check);
}

/**
 * The lines of a check: one per template (how it runs, the records it rendered, how many of them the
 * compiled code mapped by itself), then the first disagreements of each, then what was read.
 *
 * @example templateCheckReport('/abs/my-templates', tallies, { samples: 2000, fileRecords: 0, untemplated: 0 })
 */
export function templateCheckReport(
  dir: string,
  tallies: readonly TemplateTally[],
  counts: { readonly samples: number; readonly fileRecords: number; readonly untemplated: number },
): TemplateCheckReport {
  const width = Math.max(...tallies.map((tally) => tally.name.length));
  const lines = [`templates in ${dir}`];
  for (const tally of tallies) {
    const how =
      tally.engine === TemplateEngine.compiled ? 'compiled' : `interpreted (${tally.fallback ?? ''})`;
    const agreement =
      tally.disagreements.length === 0
        ? `agree on ${count(tally.records, 'record')}`
        : `DISAGREE on ${tally.disagreements.length} of ${count(tally.records, 'record')}`;
    const byItself =
      tally.engine === TemplateEngine.compiled && tally.records > 0
        ? ` (${tally.compiled} mapped by the compiled code, ${tally.records - tally.compiled} left to the interpreter)`
        : '';
    lines.push(`  ${tally.name.padEnd(width)}  ${how}: ${agreement}${byItself}`);
  }
  for (const tally of tallies) {
    for (const disagreement of tally.disagreements.slice(0, shownDisagreements))
      lines.push(`  ${tally.name}: ${disagreement}`);
    if (tally.disagreements.length > shownDisagreements)
      lines.push(`  ${tally.name}: and ${tally.disagreements.length - shownDisagreements} more`);
  }
  const read = [`${count(counts.samples, 'sample event')}`];
  if (counts.fileRecords > 0) read.push(`${count(counts.fileRecords, 'record')} from files`);
  lines.push(
    `checked with ${read.join(' and ')}` +
      (counts.untemplated > 0
        ? `; ${count(counts.untemplated, 'record')} reached no template (not JSON, or no SES, SMS/MMS/Voice or WhatsApp event)`
        : ''),
  );
  return { lines, disagreements: tallies.reduce((sum, tally) => sum + tally.disagreements.length, 0) };
}

function templatesOf(dir: string): CompiledTemplates {
  try {
    return compileTemplates(loadTemplateDirectory(dir));
  } catch (error) {
    if (error instanceof MapperError)
      throw new CliError(`templates check ${dir}: ${error.message}`, undefined, { cause: error });
    throw error;
  }
}

function sampleCountOf(text: string): number {
  const count = Number(text);
  if (!/^\d+$/.test(text.trim()) || count > largestSamples) {
    throw new CliError(
      `--samples is ${JSON.stringify(text)}; expected a whole number from 0 to ${largestSamples}, e.g. --samples ${defaultSamples}`,
    );
  }
  return count;
}

function differenceOf(comparison: EngineComparison): string {
  return `compiled ${summaryOf(comparison.compiled)}, interpreted ${summaryOf(comparison.interpreted)}`;
}

function summaryOf(result: MappingResult<'events'>): string {
  const text = result.ok ? JSON.stringify(result.value) : `${result.error.kind}: ${result.error.message}`;
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
