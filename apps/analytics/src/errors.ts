import { CdkAppError } from '@engagement-db/cdk-kit';

/**
 * The bundled Athena view handler is missing: the app deploys a prebuilt bundle and never bundles at synth.
 *
 * @example new HandlerBundleMissingError('/repo/apps/analytics/dist/athena-view-handler')
 */
export class HandlerBundleMissingError extends CdkAppError {
  constructor(directory: string, options?: { cause?: unknown }) {
    super(
      `The Athena view handler bundle ${directory}/index.js does not exist; expected the esbuild output of ` +
        `apps/analytics/src/handlers/lambda.ts. ` +
        `Fix: run \`npx nx run analytics:build\` (synth, diff, deploy, destroy and test run it first).`,
      options,
    );
    this.name = 'HandlerBundleMissingError';
  }
}
