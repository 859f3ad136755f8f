import { join } from 'node:path';
import { IngestionAppError } from './errors';
import { createIngestionApp } from './ingestion-app';

// The CDK app that `npm run synth` / `deploy` run after bundling the transformer (see cdk.json).
try {
  createIngestionApp({ projectDirectory: join(__dirname, '..'), env: process.env }).app.synth();
} catch (error) {
  if (!(error instanceof IngestionAppError)) throw error;
  // A configuration mistake needs its message, not a stack trace.
  console.error(error.message);
  process.exitCode = 1;
}
