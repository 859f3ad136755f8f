// Run by `nx run quicksight:deploy` before CDK: the configured QuickSight principal must exist (and may
// own what is deployed), or the deployment stops here with one line saying why and how to fix it.
import { join } from 'node:path';
import { findAwsCredentials } from '@engagement-db/cdk-kit';
import { checkPrincipal } from '../api/principal-check';
import { commandOptionsOf } from '../api/command-options';
import { quickSightClientOf } from '../api/quicksight-client';
import { principalOf } from '../constructs/quicksight-permissions';
import { runCommand } from './run-command';

async function main(): Promise<number> {
  const { config, profile } = commandOptionsOf(process.argv.slice(2), {
    projectDirectory: join(__dirname, '..', '..'),
    env: process.env,
    cdkArguments: true,
  });
  const principal = principalOf(config.principalArn ?? '');
  if (!principal) {
    console.error(
      'No QuickSight principal is configured: nobody could open the dashboard. Fix: ' +
        '`npm run configure -w apps/quicksight -- --principal-arn arn:aws:quicksight:<identity region>:<account>:user/default/<name>` ' +
        '(or set ENGAGEMENT_DB_PRINCIPAL_ARN).',
    );
    return 1;
  }
  const credentials = await findAwsCredentials({ command: 'npx nx run quicksight:deploy', profile });
  if (!credentials.ok) {
    console.error(credentials.error);
    return 1;
  }
  const result = await checkPrincipal(
    quickSightClientOf({ region: principal.identityRegion, profile }),
    principal,
  );
  if (!result.ok) {
    console.error(result.error.message);
    return 1;
  }
  console.log(result.value);
  return 0;
}

runCommand(main);
