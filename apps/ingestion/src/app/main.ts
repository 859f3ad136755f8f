// The CDK app that `npx nx run ingestion:synth` (diff, deploy, destroy) runs through cdk.json.
import { join } from 'node:path';
import { runCdkApp } from '@engagement-db/cdk-kit';
import { createIngestionApp } from './ingestion-app';

runCdkApp(() => createIngestionApp({ projectDirectory: join(__dirname, '..', '..'), env: process.env }).app);
