import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flagOf } from './config-fields';
import { InvalidConfigurationError } from './errors';
import {
  contextLayer,
  defaultIngestionConfig,
  environmentLayer,
  fileLayer,
  flagsLayer,
  loadIngestionConfig,
  resolveIngestionConfig,
} from './ingestion-config';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:whatsapp-events';

let projectDirectory: string;

beforeEach(() => {
  projectDirectory = mkdtempSync(join(tmpdir(), 'ingestion-config-'));
});

afterEach(() => {
  rmSync(projectDirectory, { recursive: true, force: true });
});

function writeConfig(content: unknown): string {
  const path = join(projectDirectory, 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function load(env: Record<string, string> = {}, context: Record<string, unknown> = {}) {
  return loadIngestionConfig({ projectDirectory, env, context: (key) => context[key] });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect((error as Error).name).toBe('InvalidConfigurationError');
    return [...(error as InvalidConfigurationError).problems];
  }
  throw new Error('expected an InvalidConfigurationError');
}

describe('loadIngestionConfig', () => {
  it('gives the defaults when no file, variable or context sets anything', () => {
    expect(load()).toEqual(defaultIngestionConfig);
  });

  it('reads typed values from config.json', () => {
    // Prepare
    writeConfig({
      namesPrefix: 'acme',
      eventsBufferSizeMiB: 64,
      transformerBufferSizeMiB: 0.5,
      whatsappEnabled: false,
    });

    // Act
    const config = load();

    // Assert
    expect(config).toMatchObject({
      namesPrefix: 'acme',
      eventsBufferSizeMiB: 64,
      transformerBufferSizeMiB: 0.5,
    });
  });

  it.each([
    ['the file alone', { namesPrefix: 'file' }, {}, {}, 'file'],
    [
      'the environment over the file',
      { namesPrefix: 'file' },
      { ENGAGEMENT_DB_NAMES_PREFIX: 'env' },
      {},
      'env',
    ],
    [
      'context over the environment',
      { namesPrefix: 'file' },
      { ENGAGEMENT_DB_NAMES_PREFIX: 'env' },
      { namesPrefix: 'ctx' },
      'ctx',
    ],
    [
      'the file when the variable is empty',
      { namesPrefix: 'file' },
      { ENGAGEMENT_DB_NAMES_PREFIX: '' },
      {},
      'file',
    ],
  ])('takes %s', (_case, file, env, context, expected) => {
    // Prepare
    writeConfig(file);

    // Act
    const config = load(env, context);

    // Assert
    expect(config.namesPrefix).toBe(expected);
  });

  it('parses numbers and booleans given as text in context and the environment', () => {
    // Act
    const config = load(
      { ENGAGEMENT_DB_DATA_RETENTION_DAYS: '365', ENGAGEMENT_DB_WHATSAPP_ENABLED: 'false' },
      { transformerBufferSizeMiB: '1.5', logRetentionDays: '90' },
    );

    // Assert
    expect(config).toMatchObject({
      dataRetentionDays: 365,
      whatsappEnabled: false,
      transformerBufferSizeMiB: 1.5,
      logRetentionDays: 90,
    });
  });

  it('takes account and region from the CDK CLI defaults unless config.json sets them', () => {
    // Prepare
    writeConfig({ region: 'eu-west-1' });

    // Act
    const config = load({ CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'us-east-1' });

    // Assert
    expect(config).toMatchObject({ account: '111122223333', region: 'eu-west-1' });
  });

  it.each([
    ['a topic ARN alone turns WhatsApp on', { whatsappTopicArn: topicArn }, true],
    [
      'an explicit false wins over a topic ARN',
      { whatsappTopicArn: topicArn, whatsappEnabled: false },
      false,
    ],
  ])('decides WhatsApp: %s', (_case, file, expected) => {
    // Prepare
    writeConfig(file);

    // Act
    const config = load();

    // Assert
    expect(config.whatsappEnabled).toBe(expected);
  });

  it.each([
    [
      'a buffer below the Firehose minimum in context',
      {},
      { eventsBufferSizeMiB: '10' },
      'eventsBufferSizeMiB from CDK context is "10"; expected a whole number of MiB from 64 to 128 (Firehose needs at ' +
        'least 64 MiB when it partitions dynamically or writes Parquet). Fix: pass -c eventsBufferSizeMiB=128, or remove it from the context.',
    ],
    [
      'a transformer buffer above the Lambda limit in the environment',
      { ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB: '6' },
      {},
      'ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB from the environment is "6"; expected a number of MiB from 0.2 to 2 ' +
        '(the rows are about 2.5 times the input, and a Lambda response may not exceed 6 MB). ' +
        'Fix: set ENGAGEMENT_DB_TRANSFORMER_BUFFER_SIZE_MIB=1, or unset it.',
    ],
    [
      'a retention CloudWatch does not offer',
      {},
      { logRetentionDays: 10 },
      'logRetentionDays from CDK context is 10; expected one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30, ' +
        '60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days. Fix: pass -c logRetentionDays=30, or remove it from the context.',
    ],
    [
      'a boolean that is no boolean',
      { ENGAGEMENT_DB_WHATSAPP_ENABLED: 'yes' },
      {},
      'ENGAGEMENT_DB_WHATSAPP_ENABLED from the environment is "yes"; expected true or false. ' +
        'Fix: set ENGAGEMENT_DB_WHATSAPP_ENABLED=true, or unset it.',
    ],
    [
      'an ARN of another service',
      {},
      { whatsappTopicArn: 'arn:aws:sqs:us-east-1:123456789012:queue' },
      'whatsappTopicArn from CDK context is "arn:aws:sqs:us-east-1:123456789012:queue"; expected the ARN of a standard ' +
        'SNS topic, arn:aws:sns:<region>:<account>:<topic name>. Fix: pass -c whatsappTopicArn=arn:aws:sns:us-east-1:123456789012:whatsapp-events, or remove it from the context.',
    ],
  ])(
    'reports %s with what, where, the value, the expectation and the fix',
    (_case, env, context, message) => {
      expect(problemsOf(() => load(env, context))).toEqual([message]);
    },
  );

  it('reports a wrong value in config.json with the file path', () => {
    // Prepare
    const path = writeConfig({ namesPrefix: 'Acme Corp' });

    // Act
    const problems = problemsOf(() => load());

    // Assert
    expect(problems).toEqual([
      `namesPrefix from ${path} is "Acme Corp"; expected 2 to 24 lower-case letters, digits or hyphens, starting with ` +
        `a letter and not ending with a hyphen. Fix: set "namesPrefix": "engagementdb" in ${path}, or run \`npm run configure\`.`,
    ]);
  });

  it('reports every problem at once, including unknown keys in config.json', () => {
    // Prepare
    const path = writeConfig({ whatsappTopic: topicArn, dataRetentionDays: -1 });

    // Act
    const problems = problemsOf(() => load({}, { conversationsBufferIntervalSeconds: 30 }));

    // Assert
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe(
      `"whatsappTopic" from ${path} is no setting of the ingestion app; expected one of account, region, namesPrefix, ` +
        'whatsappEnabled, whatsappTopicArn, eventsBufferSizeMiB, eventsBufferIntervalSeconds, conversationsBufferSizeMiB, ' +
        'conversationsBufferIntervalSeconds, transformerBufferSizeMiB, transformerBufferIntervalSeconds, dataRetentionDays, ' +
        'errorRetentionDays, accessLogRetentionDays, logRetentionDays. Fix: remove it or correct its spelling.',
    );
    expect(problems[1]).toMatch(
      /^dataRetentionDays from .* is -1; expected a whole number of days from 0 to 36500/,
    );
    expect(problems[2]).toMatch(
      /^conversationsBufferIntervalSeconds from CDK context is 30; expected a whole number of seconds from 60 to 900/,
    );
  });

  it('reports WhatsApp turned on without a topic', () => {
    expect(problemsOf(() => load({ ENGAGEMENT_DB_WHATSAPP_ENABLED: 'true' }))).toEqual([
      'ENGAGEMENT_DB_WHATSAPP_ENABLED from the environment is true but whatsappTopicArn is not set; expected the ARN of a ' +
        'standard SNS topic, arn:aws:sns:<region>:<account>:<topic name>. Fix: set whatsappTopicArn ' +
        '(npm run configure -- --whatsapp-topic-arn <arn>), or set whatsappEnabled to false.',
    ]);
  });

  it.each([
    ['not JSON', '{ namesPrefix: acme }', /is not JSON \(.+\); expected a JSON object of settings/],
    ['an array', '["acme"]', /is a JSON array; expected a JSON object of settings/],
  ])('reports a config.json that is %s', (_case, text, message) => {
    // Prepare
    writeConfig(text);

    // Act
    const problems = problemsOf(() => load());

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toContain('Fix: correct the file, or delete it and run `npm run configure`.');
  });

  it('puts every problem in the error message, one per line', () => {
    // Act
    const run = () => load({ ENGAGEMENT_DB_REGION: 'mars', ENGAGEMENT_DB_ACCOUNT: '42' });

    // Assert
    expect(run).toThrow(
      new InvalidConfigurationError([
        'ENGAGEMENT_DB_ACCOUNT from the environment is "42"; expected a 12-digit AWS account id. Fix: set ENGAGEMENT_DB_ACCOUNT=123456789012, or unset it.',
        'ENGAGEMENT_DB_REGION from the environment is "mars"; expected an AWS region name such as us-east-1. Fix: set ENGAGEMENT_DB_REGION=us-east-1, or unset it.',
      ]).message,
    );
  });
});

describe('resolveIngestionConfig', () => {
  it('ignores context keys that are no setting', () => {
    // Act
    const result = resolveIngestionConfig([
      contextLayer((key) => (key === 'namesPrefix' ? 'acme' : undefined)),
    ]);

    // Assert
    expect(result).toEqual({ ok: true, config: { ...defaultIngestionConfig, namesPrefix: 'acme' } });
  });

  it('ignores environment variables of other tools', () => {
    expect(
      resolveIngestionConfig([environmentLayer({ ENGAGEMENT_DB_LAKE: '/tmp/lake', PATH: '/bin' })]),
    ).toEqual({
      ok: true,
      config: defaultIngestionConfig,
    });
  });

  it('names flags the way configure takes them', () => {
    // Act
    const result = resolveIngestionConfig([flagsLayer({ eventsBufferSizeMiB: '1' })]);

    // Assert
    expect(result).toEqual({
      ok: false,
      problems: [
        '--events-buffer-size-mib from the command line is "1"; expected a whole number of MiB from 64 to 128 (Firehose ' +
          'needs at least 64 MiB when it partitions dynamically or writes Parquet). Fix: pass --events-buffer-size-mib 128.',
      ],
    });
  });

  it('lets a later layer replace a wrong earlier value but still reports the wrong one', () => {
    // Act
    const result = resolveIngestionConfig([
      fileLayer('/x/config.json', { region: 'nowhere' }),
      flagsLayer({ region: 'eu-west-1' }),
    ]);

    // Assert
    expect(result.ok).toBe(false);
  });
});

describe('flagOf', () => {
  it.each([
    ['whatsappTopicArn', 'whatsapp-topic-arn'],
    ['namesPrefix', 'names-prefix'],
    ['transformerBufferSizeMiB', 'transformer-buffer-size-mib'],
    ['account', 'account'],
  ] as const)('spells %s as --%s', (key, flag) => {
    expect(flagOf(key)).toBe(flag);
  });
});
