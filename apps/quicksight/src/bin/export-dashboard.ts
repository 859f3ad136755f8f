// `npx nx run quicksight:export-dashboard [--profile <name>] [--out <file>] [--fail]`: reads the deployed
// dashboard's definition, writes it to a file and says how it differs from the definition in code.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findAwsCredentials } from '@engagement-db/cdk-kit';
import { codeDefinitionOf } from '../api/code-definition';
import { commandOptionsOf } from '../api/command-options';
import { exportDashboard } from '../api/dashboard-export';
import { diffDefinitions } from '../api/definition-diff';
import { quickSightClientOf } from '../api/quicksight-client';
import { formatDifferences } from '../api/format-differences';
import { principalOf } from '../constructs/quicksight-permissions';
import { runCommand } from './run-command';

const projectDirectory = join(__dirname, '..', '..');

async function main(): Promise<number> {
  const { config, profile, out, fail } = commandOptionsOf(process.argv.slice(2), {
    projectDirectory,
    env: process.env,
  });
  const accountId = config.account ?? principalOf(config.principalArn ?? '')?.account;
  const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (accountId === undefined || region === undefined) {
    console.error(
      `The export needs the dashboard's account and region; got account ${accountId ?? 'none'} and region ${region ?? 'none'}. ` +
        'Fix: `npm run configure -w apps/quicksight -- --account <id> --region <region>` (or set principalArn, AWS_REGION).',
    );
    return 1;
  }
  const credentials = await findAwsCredentials({
    command: 'npx nx run quicksight:export-dashboard',
    profile,
  });
  if (!credentials.ok) {
    console.error(credentials.error);
    return 1;
  }
  const code = codeDefinitionOf({ projectDirectory, env: process.env });
  const deployed = await exportDashboard(quickSightClientOf({ region, profile }), {
    accountId,
    dashboardId: code.dashboardId,
  });
  if (!deployed.ok) {
    console.error(deployed.error.message);
    return 1;
  }
  const file = resolve(out ?? join(projectDirectory, 'exported', `${code.dashboardId}.definition.json`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(deployed.value.definition, null, 2)}\n`);
  const differences = diffDefinitions(code.definition, deployed.value.definition);
  console.log(
    `Wrote the deployed definition of ${code.dashboardId} (${deployed.value.status ?? 'status unknown'}) to ${file}.`,
  );
  for (const error of deployed.value.errors) console.log(`QuickSight reports: ${error}`);
  console.log(formatDifferences(differences));
  return fail && differences.length > 0 ? 1 : 0;
}

runCommand(main);
