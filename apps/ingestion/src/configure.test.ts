import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ConfigureExitStatus, runConfigure } from './configure';
import { loadIngestionConfig } from './ingestion-config';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:whatsapp-events';

let directory: string;
let configPath: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ingestion-configure-'));
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
  const status = await runConfigure(argv, { input, output, errorOutput, configPath });
  return { status, out, err };
}

function written(): unknown {
  return JSON.parse(readFileSync(configPath, 'utf8'));
}

describe('runConfigure', () => {
  it('writes the flags as typed settings that the app then loads', async () => {
    // Act
    const { status, out } = await configure([
      '--whatsapp-topic-arn',
      topicArn,
      '--names-prefix',
      'acme',
      '--events-buffer-size-mib',
      '64',
    ]);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', whatsappTopicArn: topicArn, eventsBufferSizeMiB: 64 });
    expect(out).toContain(`Wrote ${configPath}`);
    expect(
      loadIngestionConfig({ projectDirectory: directory, env: {}, context: () => undefined }),
    ).toMatchObject({
      namesPrefix: 'acme',
      whatsappEnabled: true,
      eventsBufferSizeMiB: 64,
    });
  });

  it('keeps settings already in the file unless a flag replaces them', async () => {
    // Prepare
    writeFileSync(configPath, JSON.stringify({ namesPrefix: 'acme', dataRetentionDays: 365 }));

    // Act
    const { status } = await configure(['--data-retention-days', '730']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', dataRetentionDays: 730 });
  });

  it('writes nothing and prints each problem when a value is invalid', async () => {
    // Act
    const { status, err } = await configure(['--whatsapp-enabled', 'true', '--log-retention-days', '10']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.invalid);
    expect(existsSync(configPath)).toBe(false);
    expect(err).toBe(
      `Nothing written; ${configPath} would be invalid:\n` +
        '- --log-retention-days from the command line is "10"; expected one of the CloudWatch Logs retention periods: ' +
        '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days. ' +
        'Fix: pass --log-retention-days 30.\n' +
        '- --whatsapp-enabled from the command line is true but whatsappTopicArn is not set; expected the ARN of a ' +
        'standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>. Fix: set whatsappTopicArn ' +
        '(npm run configure -- --whatsapp-topic-arn <arn>), or set whatsappEnabled to false.\n',
    );
  });

  it('rejects an unknown flag with the usage', async () => {
    // Act
    const { status, err } = await configure(['--whatsapp-topic', topicArn]);

    // Assert
    expect(status).toBe(ConfigureExitStatus.invalid);
    expect(err).toMatch(/^configure: Unknown option '--whatsapp-topic'/);
    expect(err).toContain('Usage: npm run configure --');
    expect(existsSync(configPath)).toBe(false);
  });

  it('prints one flag per setting for --help', async () => {
    // Act
    const { status, out } = await configure(['--help']);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(out).toContain('--whatsapp-topic-arn <value>');
    expect(out).toContain('--transformer-buffer-size-mib <value>');
  });

  it('asks one question per setting, keeping empty answers and asking again after an invalid one', async () => {
    // Prepare
    const answers = ['', '', 'acme', 'true', 'not-an-arn', topicArn, '12'];

    // Act
    const { status, out } = await configure(['--interactive'], answers);

    // Assert
    expect(status).toBe(ConfigureExitStatus.ok);
    expect(written()).toEqual({ namesPrefix: 'acme', whatsappEnabled: true, whatsappTopicArn: topicArn });
    expect(out).toContain('Prefix of the stream, Glue, configuration set and alarm names [engagementdb]: ');
    expect(out).toContain(
      'whatsappTopicArn from your answer is "not-an-arn"; expected the ARN of a standard SNS topic, ' +
        'arn:aws:sns:<region>:<account>:<topic name>. Fix: answer e.g. arn:aws:sns:us-east-1:123456789012:whatsapp-events, ' +
        'or leave it empty to keep the current value.',
    );
    expect(out).toContain(
      'eventsBufferSizeMiB from your answer is "12"; expected a whole number of MiB from 64 to 128',
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
