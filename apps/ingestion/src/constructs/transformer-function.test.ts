import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { emptyStack, removeTestOutdirs, testBundleDirectory, thrownBy } from '../../test/test-stack';
import { TransformerBundleMissingError } from '../errors';
import { TransformerFunction, type TransformerFunctionProps } from './transformer-function';

afterAll(() => {
  removeTestOutdirs();
});

function transformerIn(stack: Stack, props: Partial<TransformerFunctionProps> = {}) {
  return new TransformerFunction(stack, 'Transformer', {
    functionName: 'acme-firehose-transformer',
    bundleDirectory: testBundleDirectory,
    templatesBucket: new s3.Bucket(stack, 'Templates'),
    ...props,
  });
}

describe('TransformerFunction', () => {
  it('runs the bundled handler on the latest Node.js runtime, reading templates from the templates bucket', () => {
    // Prepare
    const stack = emptyStack();
    transformerIn(stack, { templatesPrefix: 'custom/' });

    // Act
    const template = Template.fromStack(stack);

    // Assert
    const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket'));
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'acme-firehose-transformer',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 120,
      Environment: {
        Variables: {
          TEMPLATES_BUCKET: { Ref: bucketId },
          TEMPLATES_PREFIX: 'custom/',
          ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          CANONICAL_TABLE: 'events',
          POWERTOOLS_SERVICE_NAME: 'firehose-transformer',
          POWERTOOLS_METRICS_NAMESPACE: 'EngagementDb',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/acme-firehose-transformer',
      RetentionInDays: 30,
    });
  });

  it('offers the metrics of records it could not map and of failed invocations', () => {
    // Prepare
    const transformer = transformerIn(emptyStack());

    // Act
    const recordsFailed = transformer.metricRecordsFailed();
    const errors = transformer.metricErrors();

    // Assert
    expect(recordsFailed).toMatchObject({
      namespace: 'EngagementDb',
      metricName: 'RecordsFailed',
      dimensions: { service: 'firehose-transformer' },
      statistic: 'Sum',
    });
    expect(recordsFailed.period.toSeconds()).toBe(300);
    expect(errors).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum' });
    expect(errors.period.toSeconds()).toBe(300);
  });

  it('throws when the bundle was not built, saying how to build it', () => {
    // Prepare
    const missing = join(tmpdir(), 'ingestion-no-bundle');

    // Act
    const error = thrownBy(() => transformerIn(emptyStack(), { bundleDirectory: missing }));

    // Assert
    expect(error).toBeInstanceOf(TransformerBundleMissingError);
    expect(error.name).toBe('TransformerBundleMissingError');
    expect(error.message).toBe(
      `The transformer bundle ${missing}/index.js does not exist; expected the esbuild output of ` +
        'libs/firehose-transformer/src/lambda.ts with its templates/ folder. ' +
        'Fix: run `npx nx run ingestion:build` (synth, diff, deploy, destroy and test run it first).',
    );
  });

  it('rejects a name Lambda refuses and a prefix that is no folder', () => {
    // Act
    const error = thrownBy(() =>
      transformerIn(emptyStack(), {
        functionName: `${'x'.repeat(60)}-transformer`,
        templatesPrefix: 'templates',
      }),
    );

    // Assert
    expect(error.name).toBe('InvalidPropsError');
    expect(error.message).toBe(
      'Invalid props for TransformerFunction at Test/Transformer:\n' +
        `- functionName is "${'x'.repeat(60)}-transformer"; expected 1 to 64 letters, digits, hyphens or underscores. ` +
        'Fix: pass a shorter functionName (it is <namesPrefix>-firehose-transformer).\n' +
        '- templatesPrefix is "templates"; expected a key prefix ending with "/" and without "*", e.g. "templates/". ' +
        'Fix: pass templatesPrefix: "templates/".',
    );
  });
});
