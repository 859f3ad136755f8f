import { join } from 'node:path';
import { CdkAppError, InvalidConfigurationError } from '../errors';
import {
  type ConfigLayer,
  cdkDefaultsLayer,
  contextLayer,
  environmentLayer,
  readConfigFile,
} from './config-layers';
import { type ConfigValues, type Setting, type Settings, flagOf } from './settings';

/** What a schema is made of: the app it configures and its settings. */
export interface ConfigSchemaDefinition<S extends Settings> {
  /** The app's name and its folder under `apps/`: `ingestion` is `apps/ingestion`. */
  readonly app: string;
  /** Every setting, in the order `configure --interactive` asks for them. */
  readonly settings: S;
  /**
   * Rules between settings that are each valid on their own, checked wherever the settings are
   * (`load`, `configure`): a QuickSight group needs the Enterprise edition.
   * @default [] — no rule between settings
   */
  readonly rules?: readonly SettingsRule<S>[];
}

/**
 * A rule that several settings keep together. Checked once each of them is valid on its own; a broken
 * rule is reported with each setting's value and where it came from, what was expected and the fix.
 *
 * @example
 * { settings: ['principalArn', 'edition'], valid: (c) => !c.principalArn?.includes(':group/') || c.edition === 'ENTERPRISE',
 *   expected: 'a user with the STANDARD edition (groups are an Enterprise feature)', fix: 'set edition to ENTERPRISE, or give a user' }
 */
export interface SettingsRule<S extends Settings> {
  /** The settings the rule relates, in the order the problem names them. */
  readonly settings: readonly (keyof S & string)[];
  /** Whether the checked values keep the rule. */
  readonly valid: (config: ConfigValues<S>) => boolean;
  /** What the values must be together, and why when it is not obvious. */
  readonly expected: string;
  /** How to fix it. */
  readonly fix: string;
}

/** The outcome of checking settings: the configuration, or every problem found. */
export type ConfigResult<C> =
  { readonly ok: true; readonly config: C } | { readonly ok: false; readonly problems: readonly string[] };

/** Where `load` reads the layers above the defaults from. */
export interface LoadConfigOptions {
  /** The folder holding `config.json` (the app's folder). */
  readonly projectDirectory: string;
  /** `ENGAGEMENT_DB_*` variables, and `CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION` set by the CDK CLI. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** CDK context lookup, e.g. `(key) => app.node.tryGetContext(key)`. */
  readonly context: (key: string) => unknown;
}

/**
 * The configuration of a CDK app, defined once: its type (`ConfigOf<typeof schema>`), defaults,
 * validation, the layers it is read from (defaults < config.json < `ENGAGEMENT_DB_*` environment <
 * CDK context) and the questions and flags of `configure` all come from the settings given here.
 *
 * @example
 * export const analyticsConfigSchema = new ConfigSchema({
 *   app: 'analytics',
 *   settings: { ...sharedSettings, bytesScannedCutoffMb: { kind: 'integer', default: 1000, min: 10, ... } },
 * });
 * export type AnalyticsConfig = ConfigOf<typeof analyticsConfigSchema>;
 */
export class ConfigSchema<const S extends Settings> {
  /** The app's name, as messages say it. */
  readonly app: string;
  readonly settings: S;
  /** Every setting name, in definition order. */
  readonly keys: readonly (keyof S & string)[];
  /** The value of every setting where nothing sets it. */
  readonly defaults: ConfigValues<S>;
  /** The command that writes the app's config.json, as run from the repository root. */
  readonly configureCommand: string;
  /** The rules between settings. */
  readonly rules: readonly SettingsRule<S>[];

  constructor(definition: ConfigSchemaDefinition<S>) {
    this.app = definition.app;
    this.settings = definition.settings;
    this.rules = definition.rules ?? [];
    this.keys = Object.keys(definition.settings);
    this.configureCommand = `npm run configure -w apps/${definition.app} --`;
    const problems = definitionProblems(definition);
    if (problems.length > 0) {
      throw new CdkAppError(
        `The settings of the ${definition.app} app are defined wrongly:\n- ${problems.join('\n- ')}`,
      );
    }
    const defaults: Record<string, unknown> = {};
    for (const [key, setting] of Object.entries(this.settings)) {
      if (setting.kind !== 'switch') defaults[key] = setting.default;
    }
    for (const [key, setting] of Object.entries(this.settings)) {
      if (setting.kind === 'switch') defaults[key] = defaults[setting.enables] !== undefined;
    }
    this.defaults = defaults as ConfigValues<S>;
  }

  /**
   * Checks and merges settings, later layers overriding earlier ones over the defaults. Every wrong
   * value is reported (what, where from, the value got, what was expected, how to fix), not only the first.
   *
   * @example schema.resolve([flagsLayer({ namesPrefix: 'acme' })])
   */
  resolve(layers: readonly ConfigLayer[]): ConfigResult<ConfigValues<S>> {
    const problems: string[] = [];
    const merged: Record<string, unknown> = { ...this.defaults };
    const setBy = new Map<string, ConfigLayer>();
    const given = new Set<string>();
    const rejected = new Set<string>();
    for (const layer of layers) {
      for (const [name, value] of Object.entries(layer.values)) {
        if (!this.isSetting(name)) {
          if (layer.rejectsUnknownKeys) problems.push(this.unknownKeyProblem(layer, name));
          continue;
        }
        given.add(name);
        const problem = this.problemWith(layer, name, value);
        if (problem !== undefined) {
          problems.push(problem);
          rejected.add(name);
          continue;
        }
        merged[name] = parseSetting(this.settings[name], value);
        setBy.set(name, layer);
      }
    }
    for (const [key, setting] of Object.entries(this.settings)) {
      if (setting.kind !== 'switch') continue;
      if (!setBy.has(key)) merged[key] = merged[setting.enables] !== undefined;
      // A wrong value of the switched setting is reported already; only one nobody gave is missing.
      if (merged[key] === true && merged[setting.enables] === undefined && !given.has(setting.enables)) {
        problems.push(this.missingSwitchedProblem(key, setting.enables, setBy.get(key)));
        rejected.add(key);
      }
    }
    for (const rule of this.rules) {
      if (rule.settings.some((key) => rejected.has(key))) continue;
      if (!rule.valid(merged as ConfigValues<S>)) problems.push(this.brokenRuleProblem(rule, merged, setBy));
    }
    return problems.length === 0 ? { ok: true, config: merged as ConfigValues<S> } : { ok: false, problems };
  }

  /**
   * Reads the configuration of a deployment: defaults, the CDK CLI's account and region,
   * `<projectDirectory>/config.json` when present, `ENGAGEMENT_DB_*` variables, then CDK context.
   *
   * @throws InvalidConfigurationError listing every wrong value.
   * @example schema.load({ projectDirectory, env: process.env, context: (key) => app.node.tryGetContext(key) })
   */
  load(options: LoadConfigOptions): ConfigValues<S> {
    const layers = [cdkDefaultsLayer(this.keys, options.env)];
    const file = readConfigFile(join(options.projectDirectory, 'config.json'), this.configureCommand);
    if (!file.ok) throw new InvalidConfigurationError(this.app, [file.error]);
    if (file.layer) layers.push(file.layer);
    layers.push(environmentLayer(this.keys, options.env), contextLayer(this.keys, options.context));
    const result = this.resolve(layers);
    if (!result.ok) throw new InvalidConfigurationError(this.app, result.problems);
    return result.config;
  }

  /** The problem with one value of one setting on its own, or undefined when it is valid. */
  problemWith(layer: ConfigLayer, key: keyof S & string, value: unknown): string | undefined {
    const setting = this.settings[key];
    if (parseSetting(setting, value) !== invalid) return undefined;
    return (
      `${layer.nameOf(key)} from ${layer.origin} is ${JSON.stringify(value)}; expected ${setting.expected}. ` +
      `Fix: ${layer.fixOf(key, parseSetting(setting, setting.example) as string | number | boolean)}.`
    );
  }

  /** Whether a name is one of the settings. */
  isSetting(name: string): name is keyof S & string {
    return Object.hasOwn(this.settings, name);
  }

  private unknownKeyProblem(layer: ConfigLayer, name: string): string {
    return (
      `${JSON.stringify(name)} from ${layer.origin} is no setting of the ${this.app} app; expected one of ` +
      `${this.keys.join(', ')}. Fix: remove it or correct its spelling.`
    );
  }

  private brokenRuleProblem(
    rule: SettingsRule<S>,
    values: Readonly<Record<string, unknown>>,
    setBy: ReadonlyMap<string, ConfigLayer>,
  ): string {
    const each = rule.settings.map((key) => {
      const layer = setBy.get(key);
      const where = layer ? `${layer.nameOf(key)} from ${layer.origin}` : `${key} (default)`;
      return values[key] === undefined ? `${key} is not set` : `${where} is ${JSON.stringify(values[key])}`;
    });
    return `${each.join(' and ')}; expected ${rule.expected}. Fix: ${rule.fix}.`;
  }

  private missingSwitchedProblem(key: string, switched: string, layer: ConfigLayer | undefined): string {
    const where = layer ? `${layer.nameOf(key)} from ${layer.origin}` : key;
    const setting = this.settings[switched];
    return (
      `${where} is true but ${switched} is not set; expected ${setting.expected}. Fix: set ${switched} ` +
      `(${this.configureCommand} --${flagOf(switched)} ${setting.example}), or set ${key} to false.`
    );
  }
}

/**
 * The configuration type of a schema.
 *
 * @example type IngestionConfig = ConfigOf<typeof ingestionConfigSchema>;
 */
export type ConfigOf<T> = T extends ConfigSchema<infer S> ? ConfigValues<S> : never;

const invalid = Symbol('invalid');

/** A value as the setting holds it (text given for a number or boolean is parsed), or `invalid`. */
function parseSetting(setting: Setting, value: unknown): unknown {
  switch (setting.kind) {
    case 'boolean':
    case 'switch':
      if (typeof value === 'boolean') return value;
      return value === 'true' || value === 'false' ? value === 'true' : invalid;
    case 'integer':
    case 'number': {
      const number = toNumber(value);
      if (number === undefined || (setting.kind === 'integer' && !Number.isInteger(number))) return invalid;
      if (setting.allowed !== undefined) return setting.allowed.includes(number) ? number : invalid;
      return number >= (setting.min ?? -Infinity) && number <= (setting.max ?? Infinity) ? number : invalid;
    }
    case 'text':
      return typeof value === 'string' && (setting.pattern?.test(value) ?? true) ? value : invalid;
  }
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

// A schema whose own examples or defaults break its rules would print fixes that do not work.
function definitionProblems(
  definition: Pick<ConfigSchemaDefinition<Settings>, 'app' | 'settings'>,
): string[] {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(definition.app)) {
    problems.push(
      `app is ${JSON.stringify(definition.app)}; expected the folder name of the app under apps/`,
    );
  }
  for (const [key, setting] of Object.entries(definition.settings)) {
    if (parseSetting(setting, setting.example) === invalid) {
      problems.push(`${key}: the example ${JSON.stringify(setting.example)} is not ${setting.expected}`);
    }
    if (setting.kind !== 'switch' && setting.default !== undefined) {
      if (parseSetting(setting, setting.default) === invalid) {
        problems.push(`${key}: the default ${JSON.stringify(setting.default)} is not ${setting.expected}`);
      }
    }
    if (setting.kind === 'switch') {
      const switched = definition.settings[setting.enables];
      if (switched?.kind !== 'text' || switched.default !== undefined) {
        problems.push(
          `${key} enables ${JSON.stringify(setting.enables)}; expected the name of an optional text setting (one without a default)`,
        );
      }
    }
  }
  return problems;
}
