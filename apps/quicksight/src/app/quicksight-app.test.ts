import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { InvalidConfigurationError } from '@engagement-db/cdk-kit';
import {
  nagAcknowledgementsIn,
  nagFindingsIn,
  unreportedNagAcknowledgements,
} from '@engagement-db/cdk-kit/testing';
import { removeTestOutdirs, testOutdir, testProjectDirectory } from '../../test/test-stack';
import { createQuickSightApp } from './quicksight-app';

// What the CDK CLI sets from the credentials and profile.
const cliEnvironment = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' };
const alice = 'arn:aws:quicksight:us-east-1:123456789012:user/default/alice';

/** CloudFormation's largest template, uploaded through S3. */
const cloudFormationTemplateLimit = 1_048_576;

let outdir: string;
let app: App;
let assembly: CloudAssembly;

beforeAll(() => {
  outdir = testOutdir();
  ({ app } = createQuickSightApp({
    projectDirectory: testProjectDirectory({ principalArn: alice }),
    env: cliEnvironment,
    appProps: { outdir },
  }));
  assembly = app.synth();
});

afterAll(() => {
  removeTestOutdirs();
});

describe('createQuickSightApp', () => {
  it('synthesizes through cdk-nag with nothing reported, the template well under CloudFormation’s 1 MB', () => {
    // Act
    const stack = assembly.getStackByName('engagementdb-quicksight');
    const bytes = readFileSync(stack.templateFullPath).length;

    // Assert
    expect(stack.environment).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
    // 632 KB as the CDK writes it (indented); the dashboard and the analysis each carry the definition.
    expect(bytes).toBeGreaterThan(100_000);
    expect(bytes).toBeLessThan(0.7 * cloudFormationTemplateLimit);
  });

  it('passes the AwsSolutions pack with no finding left, acknowledging only what it reports, each with a reason', () => {
    // Act
    const findings = nagFindingsIn(app);
    const acknowledgements = nagAcknowledgementsIn(app);

    // Assert
    expect(findings).toEqual([]);
    // Only the object keys under the lake's and the results' prefixes, named at run time.
    const objects = (parameter: string, prefix: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<SsmParameterValueengagementdb${parameter}C96584B6F00A464EAD1953AFF4B05118Parameter>/${prefix}/*]`;
    expect(acknowledgements.map((acknowledgement) => acknowledgement.id).sort()).toEqual([
      objects('analyticsqueryresultsbucketname', 'results'),
      objects('ingestioneventsbucketname', 'conversations'),
      objects('ingestioneventsbucketname', 'events'),
    ]);
    expect(unreportedNagAcknowledgements(app)).toEqual([]);
    for (const acknowledgement of acknowledgements) expect(acknowledgement.reason.length).toBeGreaterThan(40);
  });

  it('describes the stack with the app version and tags it with the app and version', () => {
    // Prepare
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };

    // Act
    const stack = assembly.getStackByName('engagementdb-quicksight');

    // Assert
    expect(stack.template.Description).toBe(
      `engagement-db quicksight ${version}: QuickSight Athena data source, one dataset per analytics view, and the engagement dashboard and analysis.`,
    );
    expect(stack.tags).toEqual({ 'engagement-db:app': 'quicksight', 'engagement-db:version': version });
  });

  it('throws every configuration problem before building anything', () => {
    // Prepare
    const otherProject = testProjectDirectory({
      principalArn: 'arn:aws:quicksight:us-east-1:123456789012:group/default/analysts',
    });

    // Act
    const create = () =>
      createQuickSightApp({
        projectDirectory: otherProject,
        env: { CDK_DEFAULT_ACCOUNT: '210987654321' },
        appProps: { outdir: join(otherProject, 'cdk.out') },
      });

    // Assert
    expect(create).toThrow(InvalidConfigurationError);
    expect(create).toThrow(/QuickSight groups are an Enterprise Edition feature/);
    expect(create).toThrow(/expected a principal of the account the app deploys to/);
  });
});
