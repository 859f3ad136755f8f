import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigField, type ConfigKey, configFields, configKeys, flagOf } from './config-fields';
import { InvalidConfigurationError } from './errors';

/** The validated settings of one deployment of the ingestion stack. */
export interface IngestionConfig {
  /** Unset: the stack is environment-agnostic and deploys to the account of the credentials. */
  readonly account: string | undefined;
  readonly region: string | undefined;
  readonly namesPrefix: string;
  readonly whatsappEnabled: boolean;
  readonly whatsappTopicArn: string | undefined;
  readonly eventsBufferSizeMiB: number;
  readonly eventsBufferIntervalSeconds: number;
  readonly conversationsBufferSizeMiB: number;
  readonly conversationsBufferIntervalSeconds: number;
  readonly transformerBufferSizeMiB: number;
  readonly transformerBufferIntervalSeconds: number;
  /** 0 keeps events and conversations forever. */
  readonly dataRetentionDays: number;
  readonly errorRetentionDays: number;
  readonly accessLogRetentionDays: number;
  readonly logRetentionDays: number;
}

/**
 * The settings used where no file, context or environment sets a value.
 *
 * @example defaultIngestionConfig.namesPrefix // 'engagementdb'
 */
export const defaultIngestionConfig: IngestionConfig = {
  account: undefined,
  region: undefined,
  namesPrefix: 'engagementdb',
  whatsappEnabled: false,
  whatsappTopicArn: undefined,
  eventsBufferSizeMiB: 128,
  eventsBufferIntervalSeconds: 300,
  conversationsBufferSizeMiB: 64,
  conversationsBufferIntervalSeconds: 300,
  transformerBufferSizeMiB: 1,
  transformerBufferIntervalSeconds: 60,
  dataRetentionDays: 0,
  errorRetentionDays: 30,
  accessLogRetentionDays: 90,
  logRetentionDays: 30,
};

/** One place settings come from, with the words an error message needs to point back at it. */
export interface ConfigLayer {
  /** Where the values come from, e.g. `CDK context`. */
  readonly origin: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** How the user spells the setting in this place (a key, an environment variable, a flag). */
  readonly nameOf: (key: ConfigKey) => string;
  /** What to do to set a valid value in this place. */
  readonly fixOf: (key: ConfigKey, example: string) => string;
  /** Whether a key that is no setting is a problem (true for files written for this app). */
  readonly rejectsUnknownKeys: boolean;
}

/** The outcome of checking settings: the config, or every problem found. */
export type IngestionConfigResult =
  | { readonly ok: true; readonly config: IngestionConfig }
  | { readonly ok: false; readonly problems: string[] };

/**
 * The settings of a `config.json` file already parsed.
 *
 * @example fileLayer('/repo/apps/ingestion/config.json', { namesPrefix: 'acme' })
 */
export function fileLayer(path: string, values: Readonly<Record<string, unknown>>): ConfigLayer {
  return {
    origin: path,
    values,
    nameOf: (key) => key,
    fixOf: (key, example) =>
      `set "${key}": ${quoteIfText(key, example)} in ${path}, or run \`npm run configure\``,
    rejectsUnknownKeys: true,
  };
}

/**
 * The settings given as CDK context (`-c key=value` or cdk.json `context`), other context keys ignored.
 *
 * @example contextLayer((key) => app.node.tryGetContext(key))
 */
export function contextLayer(lookup: (key: string) => unknown): ConfigLayer {
  const values: Record<string, unknown> = {};
  for (const key of configKeys) {
    const value = lookup(key);
    if (value !== undefined) values[key] = value;
  }
  return {
    origin: 'CDK context',
    values,
    nameOf: (key) => key,
    fixOf: (key, example) => `pass -c ${key}=${example}, or remove it from the context`,
    rejectsUnknownKeys: false,
  };
}

/**
 * The settings given as `ENGAGEMENT_DB_*` environment variables; empty variables count as unset.
 *
 * @example environmentLayer(process.env)
 */
export function environmentLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const values: Record<string, unknown> = {};
  for (const key of configKeys) {
    const value = env[configFields[key].env];
    if (value !== undefined && value !== '') values[key] = value;
  }
  return {
    origin: 'the environment',
    values,
    nameOf: (key) => configFields[key].env,
    fixOf: (key, example) => `set ${configFields[key].env}=${example}, or unset it`,
    rejectsUnknownKeys: false,
  };
}

/**
 * The account and region the CDK CLI found in the credentials and profile (`CDK_DEFAULT_*`), used
 * when no other place sets them.
 *
 * @example cdkDefaultsLayer(process.env)
 */
export function cdkDefaultsLayer(env: Readonly<Record<string, string | undefined>>): ConfigLayer {
  const variables: Partial<Record<ConfigKey, string>> = {
    account: 'CDK_DEFAULT_ACCOUNT',
    region: 'CDK_DEFAULT_REGION',
  };
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(variables)) {
    if (env[variable]) values[key] = env[variable];
  }
  return {
    origin: 'the CDK CLI defaults',
    values,
    nameOf: (key) => variables[key] ?? key,
    fixOf: (key, example) => `set "${key}": "${example}" in config.json to override it`,
    rejectsUnknownKeys: false,
  };
}

/**
 * The settings given as `configure` flags (`--whatsapp-topic-arn ...`).
 *
 * @example flagsLayer({ namesPrefix: 'acme' })
 */
export function flagsLayer(values: Readonly<Record<string, unknown>>): ConfigLayer {
  return {
    origin: 'the command line',
    values,
    nameOf: (key) => `--${flagOf(key)}`,
    fixOf: (key, example) => `pass --${flagOf(key)} ${example}`,
    rejectsUnknownKeys: true,
  };
}

/**
 * Checks and merges settings, later layers overriding earlier ones over the defaults. Every wrong
 * value is reported (what, where from, the value got, what was expected, how to fix), not only the first.
 *
 * @example
 * const result = resolveIngestionConfig([fileLayer(path, json), contextLayer(lookup)]);
 * if (!result.ok) console.error(result.problems.join('\n'));
 */
export function resolveIngestionConfig(layers: readonly ConfigLayer[]): IngestionConfigResult {
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...defaultIngestionConfig };
  const setBy = new Map<ConfigKey, ConfigLayer>();
  const given = new Set<ConfigKey>();
  for (const layer of layers) {
    for (const [name, value] of Object.entries(layer.values)) {
      if (!isConfigKey(name)) {
        if (layer.rejectsUnknownKeys) problems.push(unknownKeyProblem(layer, name));
        continue;
      }
      given.add(name);
      const parsed = parseValue(configFields[name], value);
      if (parsed === invalid) {
        problems.push(invalidValueProblem(layer, name, value));
        continue;
      }
      merged[name] = parsed;
      setBy.set(name, layer);
    }
  }
  if (!setBy.has('whatsappEnabled')) merged.whatsappEnabled = merged.whatsappTopicArn !== undefined;
  const config = merged as unknown as IngestionConfig;
  // A wrong topic ARN is reported already; only a topic nobody gave is reported as missing.
  if (config.whatsappEnabled && !given.has('whatsappTopicArn')) {
    problems.push(missingTopicProblem(setBy.get('whatsappEnabled')));
  }
  return problems.length === 0 ? { ok: true, config } : { ok: false, problems };
}

/**
 * The problem with one value of one setting on its own, or undefined when the value is valid.
 *
 * @example problemWithValue(flagsLayer({}), 'eventsBufferSizeMiB', '10') // '--events-buffer-size-mib from the command line is "10"; ...'
 */
export function problemWithValue(layer: ConfigLayer, key: ConfigKey, value: unknown): string | undefined {
  return parseValue(configFields[key], value) === invalid
    ? invalidValueProblem(layer, key, value)
    : undefined;
}

/**
 * Reads the settings of a deployment: defaults, then `<projectDirectory>/config.json` when present,
 * then `ENGAGEMENT_DB_*` environment variables, then CDK context.
 *
 * @throws InvalidConfigurationError listing every wrong value.
 * @example
 * const config = loadIngestionConfig({ projectDirectory, env: process.env, context: (k) => app.node.tryGetContext(k) });
 */
export function loadIngestionConfig(options: {
  readonly projectDirectory: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly context: (key: string) => unknown;
}): IngestionConfig {
  const layers: ConfigLayer[] = [cdkDefaultsLayer(options.env)];
  const file = readConfigFile(join(options.projectDirectory, 'config.json'));
  if (!file.ok) throw new InvalidConfigurationError([file.problem]);
  if (file.layer) layers.push(file.layer);
  layers.push(environmentLayer(options.env), contextLayer(options.context));
  const result = resolveIngestionConfig(layers);
  if (!result.ok) throw new InvalidConfigurationError(result.problems);
  return result.config;
}

/**
 * Reads a `config.json`; a missing file is no layer, a file that is no JSON object is a problem.
 *
 * @example readConfigFile('/repo/apps/ingestion/config.json')
 */
export function readConfigFile(
  path: string,
):
  | { readonly ok: true; readonly layer: ConfigLayer | undefined }
  | { readonly ok: false; readonly problem: string } {
  if (!existsSync(path)) return { ok: true, layer: undefined };
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: notAnObjectProblem(path, `not JSON (${(error as Error).message})`) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      problem: notAnObjectProblem(path, `a JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}`),
    };
  }
  return { ok: true, layer: fileLayer(path, parsed as Record<string, unknown>) };
}

const invalid = Symbol('invalid');

function parseValue(field: ConfigField, value: unknown): unknown {
  switch (field.kind) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return invalid;
    case 'integer':
    case 'number': {
      const number = toNumber(value);
      if (number === undefined) return invalid;
      if (field.kind === 'integer' && !Number.isInteger(number)) return invalid;
      if (field.allowed !== undefined) return field.allowed.includes(number) ? number : invalid;
      return number >= (field.min ?? -Infinity) && number <= (field.max ?? Infinity) ? number : invalid;
    }
    case 'text':
      return typeof value === 'string' && (field.pattern?.test(value) ?? true) ? value : invalid;
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function isConfigKey(name: string): name is ConfigKey {
  return Object.hasOwn(configFields, name);
}

function quoteIfText(key: ConfigKey, example: string): string {
  return configFields[key].kind === 'text' ? JSON.stringify(example) : example;
}

function invalidValueProblem(layer: ConfigLayer, key: ConfigKey, value: unknown): string {
  const field = configFields[key];
  return (
    `${layer.nameOf(key)} from ${layer.origin} is ${JSON.stringify(value)}; expected ${field.expected}. ` +
    `Fix: ${layer.fixOf(key, field.example)}.`
  );
}

function unknownKeyProblem(layer: ConfigLayer, name: string): string {
  return (
    `${JSON.stringify(name)} from ${layer.origin} is no setting of the ingestion app; expected one of ` +
    `${configKeys.join(', ')}. Fix: remove it or correct its spelling.`
  );
}

function missingTopicProblem(layer: ConfigLayer | undefined): string {
  const where = layer ? `${layer.nameOf('whatsappEnabled')} from ${layer.origin}` : 'whatsappEnabled';
  return (
    `${where} is true but whatsappTopicArn is not set; expected ${configFields.whatsappTopicArn.expected}. ` +
    `Fix: set whatsappTopicArn (npm run configure -- --whatsapp-topic-arn <arn>), or set whatsappEnabled to false.`
  );
}

function notAnObjectProblem(path: string, got: string): string {
  return (
    `The configuration file ${path} is ${got}; expected a JSON object of settings such as ` +
    `{ "namesPrefix": "engagementdb" }. Fix: correct the file, or delete it and run \`npm run configure\`.`
  );
}
