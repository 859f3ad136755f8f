import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { demoSchema } from '../test/demo-schema';
import { createCdkApp } from './cdk-app';

let projectDirectory: string;

beforeEach(() => {
  projectDirectory = mkdtempSync(join(tmpdir(), 'cdk-kit-app-'));
  writeFileSync(join(projectDirectory, 'package.json'), JSON.stringify({ name: 'demo', version: '1.2.3' }));
});

afterEach(() => {
  rmSync(projectDirectory, { recursive: true, force: true });
});

function demoApp(env: Record<string, string> = {}, context: Record<string, unknown> = {}) {
  return createCdkApp({
    schema: demoSchema,
    projectDirectory,
    env,
    description: 'A demo stack.',
    appProps: { outdir: join(projectDirectory, 'cdk.out'), context },
  });
}

describe('createCdkApp', () => {
  it('gives the stack name, description and tags of the app and its version, environment-agnostic by default', () => {
    // Act
    const { config, stackProps } = demoApp({}, { namesPrefix: 'acme' });

    // Assert
    expect(config.namesPrefix).toBe('acme');
    expect(stackProps).toEqual({
      stackName: 'acme-demo',
      env: undefined,
      description: 'engagement-db demo 1.2.3: A demo stack.',
      tags: { 'engagement-db:app': 'demo', 'engagement-db:version': '1.2.3' },
    });
  });

  it('deploys to the account and region the CDK CLI found unless the configuration names others', () => {
    // Act
    const { stackProps } = demoApp(
      { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'us-east-1' },
      { region: 'eu-west-1' },
    );

    // Assert
    expect(stackProps.env).toEqual({ account: '111122223333', region: 'eu-west-1' });
  });

  it('puts the tags on the stack, from where CloudFormation puts them on every resource', () => {
    // Prepare
    const { app, stackProps } = demoApp();
    new CfnWaitConditionHandle(new Stack(app, 'Demo', stackProps), 'Placeholder');

    // Act
    const artifact = app.synth().getStackByName('engagementdb-demo');

    // Assert
    expect(artifact.tags).toEqual({ 'engagement-db:app': 'demo', 'engagement-db:version': '1.2.3' });
    expect(artifact.template.Description).toBe('engagement-db demo 1.2.3: A demo stack.');
  });

  it('fails synthesis on a cdk-nag finding nobody acknowledged', () => {
    // Prepare
    const { app, stackProps } = demoApp();
    new s3.Bucket(new Stack(app, 'Demo', stackProps), 'Plain');

    // Act
    const synth = () => app.synth();

    // Assert
    expect(synth).toThrow(/AwsSolutions-S1/);
  });

  it('throws the configuration problems before anything is built', () => {
    // Act
    const create = () => demoApp({ ENGAGEMENT_DB_BUFFER_SIZE_MIB: '1' });

    // Assert
    expect(create).toThrow(
      /^The demo configuration is invalid:\n- ENGAGEMENT_DB_BUFFER_SIZE_MIB from the environment is "1"/,
    );
  });

  it('says how to fix an app folder without a version', () => {
    // Prepare
    writeFileSync(join(projectDirectory, 'package.json'), JSON.stringify({ name: 'demo' }));

    // Act
    const create = () => demoApp();

    // Assert
    expect(create).toThrow(
      `${join(projectDirectory, 'package.json')} has no "version"; expected the app's version, e.g. "0.1.0". ` +
        `Fix: add "version" to ${join(projectDirectory, 'package.json')}.`,
    );
  });
});

describe('runCdkApp', () => {
  // A CDK app entry point, run as the CDK CLI runs it.
  const entry = (body: string) => `
    const { runCdkApp, CdkAppError } = require('./src');
    const { App } = require('aws-cdk-lib');
    runCdkApp(() => { ${body} });
  `;

  function run(body: string) {
    const result = spawnSync(
      join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'tsx'),
      ['--conditions=@engagement-db/source', '-e', entry(body)],
      {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', CDK_OUTDIR: projectDirectory },
      },
    );
    return { status: result.status, stderr: result.stderr };
  }

  it('ends a configuration mistake with its message alone and exit code 1', () => {
    expect(run(`throw new CdkAppError('namesPrefix is wrong. Fix: set it.');`)).toEqual({
      status: 1,
      stderr: 'namesPrefix is wrong. Fix: set it.\n',
    });
  });

  it('synthesizes the app it is given', () => {
    expect(run('return new App();')).toEqual({ status: 0, stderr: '' });
  });

  it('lets a programming error through with its stack trace', () => {
    // Act
    const result = run(`throw new TypeError('x is not a function');`);

    // Assert
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/TypeError: x is not a function\n\s+at /);
  });
});
