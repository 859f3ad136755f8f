import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TransformerBundleMissingError } from './errors';
import { TransformerFunction } from './transformer-function';
import { removeTestOutdirs, testOutdir } from '../test/test-stack';

afterAll(() => {
  removeTestOutdirs();
});

describe('TransformerFunction', () => {
  it('throws when the bundle was not built, saying how to build it', () => {
    // Prepare
    const stack = new Stack(new App({ outdir: testOutdir() }), 'Unbuilt');
    const templatesBucket = new s3.Bucket(stack, 'Templates');
    const missing = join(tmpdir(), 'ingestion-no-bundle');

    // Act
    let thrown: unknown;
    try {
      new TransformerFunction(stack, 'Transformer', {
        functionName: 'unbuilt',
        bundleDirectory: missing,
        templatesBucket,
        logRetention: RetentionDays.ONE_MONTH,
      });
    } catch (error) {
      thrown = error;
    }

    // Assert
    expect(thrown).toBeInstanceOf(TransformerBundleMissingError);
    expect((thrown as Error).name).toBe('TransformerBundleMissingError');
    expect((thrown as Error).message).toBe(
      `The transformer bundle ${missing}/index.js does not exist; expected the esbuild output of ` +
        'libs/firehose-transformer/src/lambda.ts with its templates/ folder. ' +
        'Fix: run `npm run build` in apps/ingestion (synth, deploy and test run it first).',
    );
  });
});
