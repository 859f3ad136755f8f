// The CDK app that `npx nx run quicksight:synth` (diff, deploy, destroy) runs through cdk.json.
import { join } from 'node:path';
import { runCdkApp } from '@engagement-db/cdk-kit';
import { createQuickSightApp } from './quicksight-app';

runCdkApp(() => createQuickSightApp({ projectDirectory: join(__dirname, '..', '..'), env: process.env }).app);
