import { CdkAppError } from '@engagement-db/cdk-kit';

/**
 * The bundled transformer Lambda is missing: the app deploys a prebuilt bundle and never bundles at synth.
 *
 * @example new TransformerBundleMissingError('/repo/apps/ingestion/dist/transformer')
 */
export class TransformerBundleMissingError extends CdkAppError {
  constructor(directory: string, options?: { cause?: unknown }) {
    super(
      `The transformer bundle ${directory}/index.js does not exist; expected the esbuild output of ` +
        `libs/firehose-transformer/src/lambda.ts with its templates/ folder. ` +
        `Fix: run \`npx nx run ingestion:build\` (synth, diff, deploy, destroy and test run it first).`,
      options,
    );
    this.name = 'TransformerBundleMissingError';
  }
}
