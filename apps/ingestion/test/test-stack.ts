import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { defaultIngestionConfig, type IngestionConfig } from '../src/ingestion-config';
import { IngestionStack } from '../src/ingestion-stack';

const outdirs: string[] = [];

/**
 * A cloud assembly folder under the system temp folder, removed by {@link removeTestOutdirs}.
 */
export function testOutdir(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'ingestion-cdk-out-'));
  outdirs.push(outdir);
  return outdir;
}

/** Removes every folder {@link testOutdir} made; call it in `afterAll`. */
export function removeTestOutdirs(): void {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
}

/**
 * An ingestion stack in an app of its own, without CloudFormation's built-in template validation
 * (the app test runs it) and without copying assets.
 */
export function testStack(config: Partial<IngestionConfig> = {}): IngestionStack {
  const app = new App({
    outdir: testOutdir(),
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:disable-asset-staging': true },
  });
  return new IngestionStack(app, 'Ingestion', { config: { ...defaultIngestionConfig, ...config } });
}
