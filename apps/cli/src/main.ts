import { Command } from 'commander';
import { version } from '../package.json';
import { dashboardCommand } from './commands/dashboard';
import { demoCommand } from './commands/demo';
import { ingestCommand } from './commands/ingest';
import { mapCommand } from './commands/map';
import { queryCommand } from './commands/query';
import { serveCommand } from './commands/serve';
import { templatesCommand } from './commands/templates';
import { viewsCommand } from './commands/views';
import { exitWithCliError } from './cli-error';
export { exitWithCliError };

/** The `engagement-db` program with every command registered. */
export function engagementDbProgram(): Command {
  return new Command('engagement-db')
    .description('Map, ingest and query AWS messaging engagement events on a local Parquet lake.')
    .version(version)
    .showHelpAfterError()
    .addCommand(mapCommand())
    .addCommand(ingestCommand())
    .addCommand(queryCommand())
    .addCommand(viewsCommand())
    .addCommand(demoCommand())
    .addCommand(serveCommand())
    .addCommand(dashboardCommand())
    .addCommand(templatesCommand());
}

if (require.main === module) {
  engagementDbProgram().parseAsync(process.argv).catch(exitWithCliError);
}
