import { Command } from 'commander';
import { canonicalTables, glueDatabaseName } from '@engagement-db/canonical-model';
import { type QueryEngine, analyticsViews } from '@engagement-db/sql';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import {
  type SharedOptions,
  lakeOf,
  lakeOption,
  noteUnlistedDataFiles,
  queryEngineOf,
} from '../shared-options';

interface Relation {
  readonly name: string;
  readonly kind: 'table' | 'view';
  readonly description?: string;
}

/**
 * `engagement-db views`: lists the tables and analytics views a query can read on the local lake, with
 * their columns and types as the query engine reports them; `views NAME` shows one.
 *
 * @example
 * ```sh
 * engagement-db views
 * engagement-db views sms_message_status
 * ```
 */
export function viewsCommand(streams: CommandStreams = processStreams): Command {
  return new Command('views')
    .description('List the tables and analytics views of the lake with their columns.')
    .argument('[name]', 'show only this table or view')
    .addOption(lakeOption())
    .action(async (name: string | undefined, options: SharedOptions) => {
      const relations = relationsNamed(name);
      const lake = lakeOf(options, streams.env);
      const engine = await queryEngineOf(lake);
      try {
        noteUnlistedDataFiles(lake, streams.stderr);
        for (const relation of relations) streams.stdout.write(await describe(engine, relation));
      } finally {
        engine.close();
      }
    });
}

function relationsNamed(name: string | undefined): Relation[] {
  const all: Relation[] = [
    ...Object.values(canonicalTables).map((table): Relation => ({ name: table.glueName, kind: 'table' })),
    ...analyticsViews.map((view): Relation => ({
      name: view.name,
      kind: 'view',
      description: view.description,
    })),
  ];
  if (name === undefined) return all;
  const found = all.filter((relation) => relation.name === name);
  if (found.length === 0) {
    throw new CliError(
      `views: there is no table or view ${JSON.stringify(name)}; run \`engagement-db views\` to list them.`,
    );
  }
  return found;
}

async function describe(engine: QueryEngine, relation: Relation): Promise<string> {
  const qualified = `"${glueDatabaseName}"."${relation.name}"`;
  const result = await engine.query(`SELECT * FROM ${qualified} LIMIT 0`);
  if (!result.ok) throw new CliError(`views: ${relation.name}: ${result.error.message}`, ExitStatus.unusable);
  const { columns } = result.value;
  const width = Math.max(...columns.map((column) => column.name.length));
  return [
    `${qualified} (${relation.kind})`,
    ...(relation.description === undefined ? [] : [`  ${relation.description}`]),
    ...columns.map((column) => `    ${column.name.padEnd(width)}  ${column.type}`),
    '',
  ]
    .map((line) => `${line}\n`)
    .join('');
}
