import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSchema } from '../../test/demo-schema';
import { configurationProblemsOf } from '../../testing';
import { contextLayer, environmentLayer, fileLayer, flagsLayer } from './config-layers';
import { type ConfigOf, ConfigSchema } from './config-schema';
import { environmentVariableOf, flagOf } from './settings';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:events';

let projectDirectory: string;

beforeEach(() => {
  projectDirectory = mkdtempSync(join(tmpdir(), 'cdk-kit-config-'));
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
  return demoSchema.load({ projectDirectory, env, context: (key) => context[key] });
}

describe('ConfigSchema', () => {
  it('derives the defaults, a switch being off while what it enables is unset', () => {
    expect(demoSchema.defaults).toEqual({
      account: undefined,
      region: undefined,
      namesPrefix: 'engagementdb',
      topicEnabled: false,
      topicArn: undefined,
      bufferSizeMiB: 128,
      batchSizeMiB: 1,
      verbose: false,
      logRetentionDays: 30,
    });
  });

  it('derives the configuration type from the settings', () => {
    // Act: typecheck rejects the lines marked as errors, so the type has these fields with these types.
    const config: ConfigOf<typeof demoSchema> = { ...demoSchema.defaults, account: '123456789012' };
    // @ts-expect-error a number setting holds a number
    const size: ConfigOf<typeof demoSchema>['bufferSizeMiB'] = '128';
    // @ts-expect-error a text setting with a default is never undefined
    const prefix: ConfigOf<typeof demoSchema>['namesPrefix'] = undefined;

    // Assert
    expect([config.account, config.namesPrefix, config.topicEnabled, size, prefix]).toEqual([
      '123456789012',
      'engagementdb',
      false,
      '128',
      undefined,
    ]);
  });

  it('names the configure command, the flags and the variables after the app and the settings', () => {
    expect([
      demoSchema.configureCommand,
      flagOf('bufferSizeMiB'),
      environmentVariableOf('bufferSizeMiB'),
      flagOf('namesPrefix'),
      environmentVariableOf('topicArn'),
    ]).toEqual([
      'npm run configure -w apps/demo --',
      'buffer-size-mib',
      'ENGAGEMENT_DB_BUFFER_SIZE_MIB',
      'names-prefix',
      'ENGAGEMENT_DB_TOPIC_ARN',
    ]);
  });

  it('refuses settings whose own example, default or switch break its rules', () => {
    // Act
    const define = () =>
      new ConfigSchema({
        app: 'demo',
        settings: {
          size: {
            kind: 'integer',
            default: 10,
            min: 64,
            max: 128,
            expected: 'from 64 to 128',
            example: '6',
            question: '?',
          },
          enabled: {
            kind: 'switch',
            enables: 'size',
            expected: 'true or false',
            example: 'true',
            question: '?',
          },
        },
      });

    // Assert
    expect(define).toThrow(
      'The settings of the demo app are defined wrongly:\n' +
        '- size: the example "6" is not from 64 to 128\n' +
        '- size: the default 10 is not from 64 to 128\n' +
        '- enabled enables "size"; expected the name of an optional text setting (one without a default)',
    );
  });
});

describe('ConfigSchema.load', () => {
  it('gives the defaults when no file, variable or context sets anything', () => {
    expect(load()).toEqual(demoSchema.defaults);
  });

  it('reads typed values from config.json', () => {
    // Prepare
    writeConfig({ namesPrefix: 'acme', bufferSizeMiB: 64, batchSizeMiB: 0.5, verbose: true });

    // Act
    const config = load();

    // Assert
    expect(config).toMatchObject({
      namesPrefix: 'acme',
      bufferSizeMiB: 64,
      batchSizeMiB: 0.5,
      verbose: true,
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
      { ENGAGEMENT_DB_BUFFER_SIZE_MIB: '100', ENGAGEMENT_DB_VERBOSE: 'true' },
      { batchSizeMiB: '1.5', logRetentionDays: '90' },
    );

    // Assert
    expect(config).toMatchObject({
      bufferSizeMiB: 100,
      verbose: true,
      batchSizeMiB: 1.5,
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
    ['the setting it enables turns a switch on', { topicArn }, true],
    ['an explicit false wins over the setting it enables', { topicArn, topicEnabled: false }, false],
  ])('decides a switch: %s', (_case, file, expected) => {
    // Prepare
    writeConfig(file);

    // Act
    const config = load();

    // Assert
    expect(config.topicEnabled).toBe(expected);
  });

  it.each([
    [
      'an integer out of range in context',
      {},
      { bufferSizeMiB: '10' },
      'bufferSizeMiB from CDK context is "10"; expected a whole number of MiB from 64 to 128. ' +
        'Fix: pass -c bufferSizeMiB=128, or remove it from the context.',
    ],
    [
      'a fraction for an integer in the environment',
      { ENGAGEMENT_DB_BUFFER_SIZE_MIB: '64.5' },
      {},
      'ENGAGEMENT_DB_BUFFER_SIZE_MIB from the environment is "64.5"; expected a whole number of MiB from 64 to 128. ' +
        'Fix: set ENGAGEMENT_DB_BUFFER_SIZE_MIB=128, or unset it.',
    ],
    [
      'a value that is not one of the allowed ones',
      {},
      { logRetentionDays: 10 },
      'logRetentionDays from CDK context is 10; expected one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30, ' +
        '60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days. ' +
        'Fix: pass -c logRetentionDays=30, or remove it from the context.',
    ],
    [
      'a boolean that is no boolean',
      { ENGAGEMENT_DB_VERBOSE: 'yes' },
      {},
      'ENGAGEMENT_DB_VERBOSE from the environment is "yes"; expected true or false. Fix: set ENGAGEMENT_DB_VERBOSE=true, or unset it.',
    ],
    [
      'a text that does not match',
      {},
      { topicArn: 'arn:aws:sqs:us-east-1:123456789012:queue' },
      'topicArn from CDK context is "arn:aws:sqs:us-east-1:123456789012:queue"; expected the ARN of an SNS topic. ' +
        'Fix: pass -c topicArn=arn:aws:sns:us-east-1:123456789012:events, or remove it from the context.',
    ],
    [
      'a switch on without what it enables',
      { ENGAGEMENT_DB_TOPIC_ENABLED: 'true' },
      {},
      'ENGAGEMENT_DB_TOPIC_ENABLED from the environment is true but topicArn is not set; expected the ARN of an SNS topic. ' +
        'Fix: set topicArn (npm run configure -w apps/demo -- --topic-arn arn:aws:sns:us-east-1:123456789012:events), ' +
        'or set topicEnabled to false.',
    ],
  ])(
    'reports %s with what, where, the value, the expectation and the fix',
    (_case, env, context, message) => {
      expect(configurationProblemsOf(() => load(env, context))).toEqual([message]);
    },
  );

  it('reports a broken rule between settings with each value and where it came from, once each is valid', () => {
    // Prepare
    const path = writeConfig({ verbose: true });

    // Act
    const broken = configurationProblemsOf(() => load({}, { batchSizeMiB: 2 }));
    const kept = load();
    const eachWrong = configurationProblemsOf(() => load({}, { batchSizeMiB: 3 }));

    // Assert
    expect(broken).toEqual([
      `verbose from ${path} is true and batchSizeMiB from CDK context is 2; expected a batchSizeMiB of at most 1.5 ` +
        'with verbose (each record of a batch is logged). Fix: set batchSizeMiB to 1.5 or less, or verbose to false.',
    ]);
    expect(kept).toMatchObject({ verbose: true, batchSizeMiB: 1 });
    expect(eachWrong).toEqual([
      expect.stringMatching(/^batchSizeMiB from CDK context is 3; expected a number/),
    ]);
  });

  it('reports a wrong value in config.json with the file path and the configure command', () => {
    // Prepare
    const path = writeConfig({ namesPrefix: 'Acme Corp', account: 42 });

    // Act
    const problems = configurationProblemsOf(() => load());

    // Assert
    expect(problems).toEqual([
      `namesPrefix from ${path} is "Acme Corp"; expected 2 to 24 lower-case letters, digits or hyphens, starting with ` +
        `a letter and not ending with a hyphen. Fix: set "namesPrefix": "engagementdb" in ${path}, or run ` +
        '`npm run configure -w apps/demo -- --names-prefix engagementdb`.',
      `account from ${path} is 42; expected a 12-digit AWS account id. Fix: set "account": "123456789012" in ${path}, ` +
        'or run `npm run configure -w apps/demo -- --account 123456789012`.',
    ]);
  });

  it('reports every problem at once, including unknown keys in config.json', () => {
    // Prepare
    const path = writeConfig({ topic: topicArn, bufferSizeMiB: -1 });

    // Act
    const problems = configurationProblemsOf(() => load({}, { batchSizeMiB: 3 }));

    // Assert
    expect(problems).toEqual([
      `"topic" from ${path} is no setting of the demo app; expected one of account, region, namesPrefix, topicEnabled, ` +
        'topicArn, bufferSizeMiB, batchSizeMiB, verbose, logRetentionDays. Fix: remove it or correct its spelling.',
      expect.stringMatching(/^bufferSizeMiB from .* is -1; expected a whole number of MiB from 64 to 128/),
      expect.stringMatching(/^batchSizeMiB from CDK context is 3; expected a number of MiB from 0.2 to 2/),
    ]);
  });

  it.each([
    ['not JSON', '{ namesPrefix: acme }', /is not JSON \(.+\); expected a JSON object of settings/],
    ['an array', '["acme"]', /is a JSON array; expected a JSON object of settings/],
    ['null', 'null', /is a JSON null; expected a JSON object of settings/],
  ])('reports a config.json that is %s', (_case, text, message) => {
    // Prepare
    writeConfig(text);

    // Act
    const problems = configurationProblemsOf(() => load());

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toContain(
      'Fix: correct the file, or delete it and run `npm run configure -w apps/demo -- --interactive`.',
    );
  });

  it('puts every problem in the error message, one per line, naming the app', () => {
    // Act
    const run = () => load({ ENGAGEMENT_DB_REGION: 'mars', ENGAGEMENT_DB_ACCOUNT: '42' });

    // Assert
    expect(run).toThrow(
      'The demo configuration is invalid:\n' +
        '- ENGAGEMENT_DB_ACCOUNT from the environment is "42"; expected a 12-digit AWS account id. Fix: set ENGAGEMENT_DB_ACCOUNT=123456789012, or unset it.\n' +
        '- ENGAGEMENT_DB_REGION from the environment is "mars"; expected an AWS region name such as us-east-1. Fix: set ENGAGEMENT_DB_REGION=us-east-1, or unset it.',
    );
  });
});

describe('ConfigSchema.resolve', () => {
  const keys = demoSchema.keys;

  it('ignores context keys and environment variables that are no setting', () => {
    // Act
    const result = demoSchema.resolve([
      contextLayer(keys, (key) => (key === 'namesPrefix' ? 'acme' : undefined)),
      environmentLayer(keys, { ENGAGEMENT_DB_LAKE: '/tmp/lake', PATH: '/bin' }),
    ]);

    // Assert
    expect(result).toEqual({ ok: true, config: { ...demoSchema.defaults, namesPrefix: 'acme' } });
  });

  it('names flags the way configure takes them', () => {
    // Act
    const result = demoSchema.resolve([flagsLayer({ bufferSizeMiB: '1' })]);

    // Assert
    expect(result).toEqual({
      ok: false,
      problems: [
        '--buffer-size-mib from the command line is "1"; expected a whole number of MiB from 64 to 128. Fix: pass --buffer-size-mib 128.',
      ],
    });
  });

  it('still reports a wrong value that a later layer replaces', () => {
    // Act
    const result = demoSchema.resolve([
      fileLayer('/x/config.json', { region: 'nowhere' }, demoSchema.configureCommand),
      flagsLayer({ region: 'eu-west-1' }),
    ]);

    // Assert
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^region from \/x\/config.json is "nowhere"/)],
    });
  });
});
