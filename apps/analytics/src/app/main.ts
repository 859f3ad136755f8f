// The CDK app that `npx nx run analytics:synth` (diff, deploy, destroy) runs through cdk.json.
import { join } from 'node:path';
import { runCdkApp } from '@engagement-db/cdk-kit';
import { createAnalyticsApp } from './analytics-app';

runCdkApp(() => createAnalyticsApp({ projectDirectory: join(__dirname, '..', '..'), env: process.env }).app);
