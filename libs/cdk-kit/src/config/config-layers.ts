import { existsSync, readFileSync } from 'node:fs';
import { environmentVariableOf, flagOf } from './settings';

/** One place settings come from, with the words an error message needs to point back at it. */
export interface ConfigLayer {
  /** Where the values come from, e.g. `CDK context`. */
  readonly origin: string;
  readonly values: Readonly<Record<string, unknown>>;
  /** How the user spells the setting in this place (a key, an environment variable, a flag). */
  readonly nameOf: (key: string) => string;
  /** What to do to set a valid value in this place; `example` is a valid value of the setting. */
  readonly fixOf: (key: string, example: string | number | boolean) => string;
  /** Whether a key that is no setting is a problem (true for files and flags written for this app). */
  readonly rejectsUnknownKeys: boolean;
}

/** The settings of a `config.json` already parsed; `configure` is the command that edits it. */
export function fileLayer(
  path: string,
  values: Readonly<Record<string, unknown>>,
  configure: string,
): ConfigLayer {
  return {
    origin: path,
    values,
    nameOf: (key) => key,
    fixOf: (key, example) =>
      `set "${key}": ${JSON.stringify(example)} in ${path}, or run \`${configure} --${flagOf(key)} ${example}\``,
    rejectsUnknownKeys: true,
  };
}

/** The settings given as CDK context (`-c key=value` or cdk.json `context`); other context is ignored. */
export function contextLayer(keys: readonly string[], lookup: (key: string) => unknown): ConfigLayer {
  return {
    origin: 'CDK context',
    values: valuesOf(keys, lookup),
    nameOf: (key) => key,
    fixOf: (key, example) => `pass -c ${key}=${example}, or remove it from the context`,
    rejectsUnknownKeys: false,
  };
}

/** The settings given as `ENGAGEMENT_DB_*` environment variables; empty variables count as unset. */
export function environmentLayer(
  keys: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ConfigLayer {
  return {
    origin: 'the environment',
    values: valuesOf(keys, (key) => env[environmentVariableOf(key)] || undefined),
    nameOf: environmentVariableOf,
    fixOf: (key, example) => `set ${environmentVariableOf(key)}=${example}, or unset it`,
    rejectsUnknownKeys: false,
  };
}

const cdkDefaultVariables: Readonly<Record<string, string>> = {
  account: 'CDK_DEFAULT_ACCOUNT',
  region: 'CDK_DEFAULT_REGION',
};

/**
 * The account and region the CDK CLI found in the credentials and profile (`CDK_DEFAULT_*`), the
 * lowest layer above the defaults.
 */
export function cdkDefaultsLayer(
  keys: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ConfigLayer {
  return {
    origin: 'the CDK CLI defaults',
    values: valuesOf(
      keys.filter((key) => cdkDefaultVariables[key] !== undefined),
      (key) => env[cdkDefaultVariables[key]] || undefined,
    ),
    nameOf: (key) => cdkDefaultVariables[key] ?? key,
    fixOf: (key, example) => `set "${key}": ${JSON.stringify(example)} in config.json to override it`,
    rejectsUnknownKeys: false,
  };
}

/** The settings given as `configure` flags (`--names-prefix acme`). */
export function flagsLayer(values: Readonly<Record<string, unknown>>): ConfigLayer {
  return {
    origin: 'the command line',
    values,
    nameOf: (key) => `--${flagOf(key)}`,
    fixOf: (key, example) => `pass --${flagOf(key)} ${example}`,
    rejectsUnknownKeys: true,
  };
}

/** The answers to `configure --interactive`. */
export function answersLayer(values: Readonly<Record<string, unknown>>): ConfigLayer {
  return {
    origin: 'your answer',
    values,
    nameOf: (key) => key,
    fixOf: (_key, example) => `answer e.g. ${example}, or leave it empty to keep the current value`,
    rejectsUnknownKeys: true,
  };
}

/** The outcome of reading a `config.json`: its layer (none when the file does not exist) or the problem. */
export type ConfigFileResult =
  | { readonly ok: true; readonly layer: ConfigLayer | undefined }
  | { readonly ok: false; readonly error: string };

/** Reads a `config.json`; a missing file is no layer, a file that is no JSON object is a problem. */
export function readConfigFile(path: string, configure: string): ConfigFileResult {
  if (!existsSync(path)) return { ok: true, layer: undefined };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, error: notAnObject(path, `not JSON (${(error as Error).message})`, configure) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const got = `a JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`;
    return { ok: false, error: notAnObject(path, got, configure) };
  }
  return { ok: true, layer: fileLayer(path, parsed as Record<string, unknown>, configure) };
}

function notAnObject(path: string, got: string, configure: string): string {
  return (
    `The configuration file ${path} is ${got}; expected a JSON object of settings such as ` +
    `{ "namesPrefix": "engagementdb" }. Fix: correct the file, or delete it and run \`${configure} --interactive\`.`
  );
}

function valuesOf(keys: readonly string[], lookup: (key: string) => unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const value = lookup(key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}
