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
import { createAnalyticsApp } from './analytics-app';

// What the CDK CLI sets from the credentials and profile.
const cliEnvironment = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-1' };

let outdir: string;
let app: App;
let environmentAgnosticApp: App;
let assembly: CloudAssembly;

beforeAll(() => {
  const projectDirectory = testProjectDirectory();
  outdir = testOutdir();
  ({ app } = createAnalyticsApp({ projectDirectory, env: cliEnvironment, appProps: { outdir } }));
  assembly = app.synth();
  ({ app: environmentAgnosticApp } = createAnalyticsApp({
    projectDirectory,
    env: {},
    appProps: { outdir: testOutdir(), context: { 'aws:cdk:disable-asset-staging': true } },
  }));
});

afterAll(() => {
  removeTestOutdirs();
});

describe('createAnalyticsApp', () => {
  it('synthesizes through cdk-nag and CloudFormation template validation with nothing reported, well under 1 MB', () => {
    // Act
    const stack = assembly.getStackByName('engagementdb-analytics');

    // Assert
    expect(stack.environment).toMatchObject({ account: '123456789012', region: 'eu-west-1' });
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
    expect(readFileSync(stack.templateFullPath).length).toBeLessThan(200_000);
  });

  it.each([
    ['for an account and region', () => app],
    ['environment-agnostic', () => environmentAgnosticApp],
  ])('passes the AwsSolutions pack with no finding left (%s)', (_case, appOf) => {
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
    const stack = assembly.getStackByName('engagementdb-analytics');

    // Assert
    expect(stack.template.Description).toBe(
      `engagement-db analytics ${version}: Athena workgroup, the analytics views and the saved queries over the engagement lake.`,
    );
    expect(stack.tags).toEqual({ 'engagement-db:app': 'analytics', 'engagement-db:version': version });
  });

  it('throws the configuration problems before building anything', () => {
    // Prepare
    const otherProject = testProjectDirectory({ bytesScannedCutoffMb: 5 });

    // Act
    const create = () =>
      createAnalyticsApp({
        projectDirectory: otherProject,
        env: {},
        appProps: { outdir: join(otherProject, 'cdk.out') },
      });

    // Assert
    expect(create).toThrow(InvalidConfigurationError);
    expect(create).toThrow(
      /bytesScannedCutoffMb from .*config\.json is 5; expected a whole number of MB from 10 \(Athena’s minimum\) to 10000000/,
    );
  });
});
