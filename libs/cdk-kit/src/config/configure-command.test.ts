import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { demoSchema } from '../../test/demo-schema';
import { ConfigureExitStatus, runConfigure } from './configure-command';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:events';

let directory: string;
let configPath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cdk-kit-configure-'));
  configPath = join(directory, 'config.json');
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function configure(argv: string[], answers: string[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  const errorOutput = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (chunk) => (out += chunk));
  errorOutput.on('data', (chunk) => (err += chunk));
  input.end(answers.map((answer) => `${answer}\n`).join(''));
  const status = await runConfigure(demoSchema, argv, { input, output, errorOutput, configPath });
  return { status, out, err };
}

function written(): unknown {
  return JSON.parse(readFileSync(configPath, 'utf8'));
}

describe('runConfigure', () => {
  it('writes the flags as typed settings that the app then loads', async () => {
    // Act
    const { status, out } = await configure([
      '--topic-arn',
      topicArn,
      '--names-prefix',
      'acme',
      '--buffer-size-mib',
      '64',
    ]);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', topicArn, bufferSizeMiB: 64 });
    expect(out).toContain(`Wrote ${configPath}`);
    expect(demoSchema.load({ projectDirectory: directory, env: {}, context: () => undefined })).toMatchObject(
      {
        namesPrefix: 'acme',
        topicEnabled: true,
        bufferSizeMiB: 64,
      },
    );
  });

  it('keeps settings already in the file unless a flag replaces them', async () => {
    // Prepare
    writeFileSync(configPath, JSON.stringify({ namesPrefix: 'acme', batchSizeMiB: 0.5 }));

    // Act
    const { status } = await configure(['--batch-size-mib', '2']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', batchSizeMiB: 2 });
  });

  it('writes nothing and prints each problem when a value is invalid', async () => {
    // Act
    const { status, err } = await configure(['--topic-enabled', 'true', '--buffer-size-mib', '10']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.invalid);
    expect(existsSync(configPath)).toBe(false);
    expect(err).toBe(
      `Nothing written; ${configPath} would be invalid:\n` +
        '- --buffer-size-mib from the command line is "10"; expected a whole number of MiB from 64 to 128. ' +
        'Fix: pass --buffer-size-mib 128.\n' +
        '- --topic-enabled from the command line is true but topicArn is not set; expected the ARN of an SNS topic. ' +
        'Fix: set topicArn (npm run configure -w apps/demo -- --topic-arn arn:aws:sns:us-east-1:123456789012:events), ' +
        'or set topicEnabled to false.\n',
    );
  });

  it('rejects an unknown flag with the usage', async () => {
    // Act
    const { status, err } = await configure(['--topic', topicArn]);

    // Assert
    expect(status).toBe(ConfigureExitStatus.invalid);
    expect(err).toMatch(/^configure: Unknown option '--topic'/);
    expect(err).toContain('Usage: npm run configure -w apps/demo -- [--interactive]');
    expect(existsSync(configPath)).toBe(false);
  });

  it('prints one flag per setting for --help', async () => {
    // Act
    const { status, out } = await configure(['--help']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(out).toContain('Writes apps/demo/config.json after checking every value.');
    for (const flag of ['--topic-arn <value>', '--batch-size-mib <value>', '--log-retention-days <value>']) {
      expect(out).toContain(flag);
    }
  });

  it('asks one question per setting, keeping empty answers and asking again after an invalid one', async () => {
    // Prepare: account, region, namesPrefix, topicEnabled, topicArn (wrong, then right), bufferSizeMiB (wrong).
    const answers = ['', '', 'acme', 'true', 'not-an-arn', topicArn, '12'];

    // Act
    const { status, out } = await configure(['--interactive'], answers);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', topicEnabled: true, topicArn });
    expect(out).toContain(
      'Prefix of the resource names every engagement-db app shares (streams, Glue, alarms, ...) [engagementdb]: ',
    );
    expect(out).toContain(
      'topicArn from your answer is "not-an-arn"; expected the ARN of an SNS topic. ' +
        'Fix: answer e.g. arn:aws:sns:us-east-1:123456789012:events, or leave it empty to keep the current value.',
    );
    expect(out).toContain(
      'bufferSizeMiB from your answer is "12"; expected a whole number of MiB from 64 to 128',
    );
  });

  it('refuses to edit a config.json that is not a JSON object', async () => {
    // Prepare
    writeFileSync(configPath, '[]');

    // Act
    const { status, err } = await configure(['--names-prefix', 'acme']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.invalid);
    expect(err).toContain(`The configuration file ${configPath} is a JSON array`);
    expect(readFileSync(configPath, 'utf8')).toBe('[]');
  });
});
