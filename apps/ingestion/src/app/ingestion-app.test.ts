import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { InvalidConfigurationError } from '@engagement-db/cdk-kit';
import {
  nagAcknowledgementsIn,
  nagFindingsIn,
  unreportedNagAcknowledgements,
} from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testOutdir, testProjectDirectory } from '../../test/test-stack';
import { templatesDirectory } from '@engagement-db/templates';
import { eventFixtures, hourPartsOf } from '../../test/fixtures';
import { canonicalTables } from '../config/canonical-tables';
import { createIngestionApp } from './ingestion-app';

const whatsappContext = { whatsappTopicArn: 'arn:aws:sns:us-east-1:123456789012:whatsapp-events' };
// What the CDK CLI sets from the credentials and profile.
const cliEnvironment = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' };

// Loads the bundle as Lambda would (plain Node, no AWS settings), calls its handler with stdin's event
// and writes the result to a file, as stdout carries the handler's logs.
const invokeBundle = `
const { handler } = require(process.argv[1]);
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  require('node:fs').writeFileSync(process.argv[2], JSON.stringify(await handler(JSON.parse(input))));
});
`;

let projectDirectory: string;
let outdir: string;
let agnosticOutdir: string;
let app: App;
let environmentAgnosticApp: App;
let assembly: CloudAssembly;

beforeAll(() => {
  projectDirectory = testProjectDirectory();
  outdir = testOutdir();
  agnosticOutdir = testOutdir();
  ({ app } = createIngestionApp({
    projectDirectory,
    env: cliEnvironment,
    appProps: { outdir, context: whatsappContext },
  }));
  assembly = app.synth();
  ({ app: environmentAgnosticApp } = createIngestionApp({
    projectDirectory,
    env: {},
    appProps: {
      outdir: agnosticOutdir,
      context: { ...whatsappContext, 'aws:cdk:disable-asset-staging': true },
    },
  }));
});

afterAll(() => {
  removeTestOutdirs();
});

describe('createIngestionApp', () => {
  it('synthesizes through cdk-nag and CloudFormation template validation with nothing reported', () => {
    // Act
    const stack = assembly.getStackByName('engagementdb-ingestion');

    // Assert
    expect(existsSync(stack.templateFullPath)).toBe(true);
    expect(stack.environment).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });

  it.each([
    ['for an account and region', () => app],
    ['environment-agnostic', () => environmentAgnosticApp],
  ])('passes the AwsSolutions pack with no finding left, WhatsApp included (%s)', (_case, appOf) => {
    // Act
    const findings = nagFindingsIn(appOf());

    // Assert
    expect(findings).toEqual([]);
  });

  it.each([
    ['for an account and region', () => app],
    ['environment-agnostic', () => environmentAgnosticApp],
  ])(
    'acknowledges only findings the pack reports on that construct, each with a reason (%s)',
    (_case, appOf) => {
      // Act
      const acknowledgements = nagAcknowledgementsIn(appOf());
      const unreported = unreportedNagAcknowledgements(appOf());

      // Assert
      expect(acknowledgements.length).toBeGreaterThan(5);
      expect(unreported).toEqual([]);
      for (const acknowledgement of acknowledgements)
        expect(acknowledgement.reason.length).toBeGreaterThan(40);
    },
  );

  it('describes the stack with the app version and tags it with the app and version', () => {
    // Prepare
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };

    // Act
    const stack = assembly.getStackByName('engagementdb-ingestion');

    // Assert
    expect(stack.template.Description).toBe(
      `engagement-db ingestion ${version}: SES, End User Messaging and WhatsApp events to S3 Parquet, Glue and Athena.`,
    );
    expect(stack.tags).toEqual({ 'engagement-db:app': 'ingestion', 'engagement-db:version': version });
  });

  it('throws the configuration problems before building anything', () => {
    // Prepare
    const otherProject = testProjectDirectory({ eventsBufferSizeMiB: 1 });

    // Act
    const create = () =>
      createIngestionApp({
        projectDirectory: otherProject,
        env: {},
        appProps: { outdir: join(otherProject, 'cdk.out') },
      });

    // Assert
    expect(create).toThrow(InvalidConfigurationError);
    expect(create).toThrow(
      /eventsBufferSizeMiB from .*config\.json is 1; expected a whole number of MiB from 64 to 128/,
    );
  });
});

describe('the transformer asset in the cloud assembly', () => {
  const eventCases = eventFixtures();
  let assetDirectory: string;

  beforeAll(() => {
    const template = assembly.getStackByName('engagementdb-ingestion').template as {
      Resources: Record<
        string,
        { Type: string; Properties: { FunctionName?: string; Code?: { S3Key?: string } } }
      >;
    };
    const fn = Object.values(template.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        r.Properties.FunctionName === 'engagementdb-firehose-transformer',
    );
    assetDirectory = join(outdir, `asset.${fn?.Properties.Code?.S3Key?.replace(/\.zip$/, '')}`);
  });

  function firehoseEventOf(texts: string[]): FirehoseTransformationEvent {
    return {
      invocationId: 'invocation-1',
      deliveryStreamArn: `arn:aws:firehose:us-east-1:123456789012:deliverystream/${canonicalTables.events.streamName}`,
      region: 'us-east-1',
      records: texts.map((text, index) => ({
        recordId: `record-${index}`,
        approximateArrivalTimestamp: 1_736_379_043_271,
        data: Buffer.from(text).toString('base64'),
      })),
    };
  }

  function runBundle(event: FirehoseTransformationEvent): FirehoseTransformationResult {
    const resultPath = join(outdir, 'result.json');
    execFileSync(process.execPath, ['-e', invokeBundle, join(assetDirectory, 'index.js'), resultPath], {
      input: JSON.stringify(event),
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    return JSON.parse(readFileSync(resultPath, 'utf8')) as FirehoseTransformationResult;
  }

  it('holds the bundled handler and the default templates', () => {
    // Act
    const files = readdirSync(assetDirectory).sort();
    const templates = readdirSync(join(assetDirectory, 'templates')).sort();

    // Assert
    expect(files).toEqual(['index.js', 'index.js.map', 'templates']);
    const defaults = readdirSync(templatesDirectory)
      .filter((f) => f.endsWith('.vm'))
      .sort();
    expect(templates).toEqual(defaults);
    for (const name of templates) {
      expect(readFileSync(join(assetDirectory, 'templates', name), 'utf8')).toBe(
        readFileSync(join(templatesDirectory, name), 'utf8'),
      );
    }
  });

  it('transforms a Firehose batch of the fixture corpus into the expected rows and partition keys', () => {
    // Prepare
    const event = firehoseEventOf(eventCases.map((c) => c.rawText));

    // Act
    const result = runBundle(event);

    // Assert
    expect(eventCases.length).toBeGreaterThan(10);
    expect(result.records.map((r) => r.recordId)).toEqual(event.records.map((r) => r.recordId));
    result.records.forEach((record, index) => {
      const fixture = eventCases[index];
      if (fixture.expected === null) {
        expect({ name: fixture.name, result: record.result, data: record.data }).toEqual({
          name: fixture.name,
          result: 'ProcessingFailed',
          data: event.records[index].data,
        });
        return;
      }
      const rows = Buffer.from(record.data ?? '', 'base64')
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line));
      expect({ name: fixture.name, result: record.result, rows }).toEqual({
        name: fixture.name,
        result: fixture.expected.length > 0 ? 'Ok' : 'Dropped',
        rows: fixture.expected,
      });
      if (fixture.expected.length > 0) {
        expect(record.metadata?.partitionKeys).toEqual({ ...hourPartsOf(fixture.expected[0].timestamp) });
      }
    });
  });
});
