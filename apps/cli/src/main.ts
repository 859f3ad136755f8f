import { Command } from 'commander';
import { version } from '../package.json';
import { adoptCommand } from './commands/adopt';
import { dashboardCommand } from './commands/dashboard';
import { demoCommand } from './commands/demo';
import { ingestCommand } from './commands/ingest';
import { mapCommand } from './commands/map';
import { queryCommand } from './commands/query';
import { serveCommand } from './commands/serve';
import { templatesCommand } from './commands/templates';
import { viewsCommand } from './commands/views';
import { exitWithCliError } from './cli-error';
import { type CommandStreams, processStreams } from './command-streams';
import { terminalText } from './terminal-text';
export { exitWithCliError };

/**
 * The `engagement-db` program with every command registered. A usage error (an unknown command or
 * option, an option without its value, too many arguments) prints commander's message and throws
 * commander's `CommanderError`, which {@link exitWithCliError} turns into exit status 2, as `--help`
 * and `--version` into 0.
 *
 * @example engagementDbProgram().parseAsync(process.argv).catch(exitWithCliError);
 */
export function engagementDbProgram(streams: CommandStreams = processStreams): Command {
  const program = new Command('engagement-db')
    .description('Map, ingest and query AWS messaging engagement events on a local Parquet lake.')
    .version(version)
    .showHelpAfterError()
    .addCommand(mapCommand(streams))
    .addCommand(ingestCommand(streams))
    .addCommand(queryCommand(streams))
    .addCommand(viewsCommand(streams))
    .addCommand(demoCommand(streams))
    .addCommand(serveCommand(streams))
    .addCommand(dashboardCommand(streams))
    .addCommand(templatesCommand(streams))
    .addCommand(adoptCommand(streams));
  for (const command of program.commands) reportUsageErrors(command, streams);
  return reportUsageErrors(program, streams);
}

// Commands added whole (addCommand) inherit nothing from the program, so each is set up itself.
function reportUsageErrors(command: Command, streams: CommandStreams): Command {
  for (const subcommand of command.commands) reportUsageErrors(subcommand, streams);
  if (command.parent) command.showHelpAfterError(`(engagement-db ${command.name()} --help shows its usage)`);
  return command.exitOverride().configureOutput({
    writeOut: (text) => void streams.stdout.write(text),
    writeErr: (text) => void streams.stderr.write(text),
    // The message may quote what was typed (an unknown option), so its control characters are escaped.
    outputError: (text, write) => write(terminalText(text, { keepLineBreaks: true })),
  });
}

if (require.main === module) {
  engagementDbProgram().parseAsync(process.argv).catch(exitWithCliError);
}
