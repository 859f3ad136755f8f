// Run before `cdk diff`, `deploy` and `destroy` (nx.json target defaults): ends with one line saying
// what is missing and how to provide it, instead of the CDK CLI failing after a full synth.
//   tsx libs/cdk-kit/src/bin/check-aws-credentials.ts <project>:<target> [cdk arguments, --profile <name>]
import { parseArgs } from 'node:util';
import { findAwsCredentials } from '../aws-credentials';

const [task = 'deploy', ...cdkArguments] = process.argv.slice(2);
// Only --profile matters here; every other argument is the CDK CLI's.
const { values } = parseArgs({
  args: cdkArguments,
  options: { profile: { type: 'string' } },
  strict: false,
  allowPositionals: true,
});

void findAwsCredentials({
  command: `npx nx run ${task}`,
  profile: typeof values.profile === 'string' ? values.profile : undefined,
}).then((found) => {
  if (found.ok) {
    console.log(`AWS credentials from ${found.source}.`);
  } else {
    console.error(found.error);
    process.exitCode = 1;
  }
});
