interface SettingBase {
  /** The question `configure --interactive` asks; also the help line of the flag. */
  readonly question: string;
  /** What a valid value looks like, as error messages say it ("a whole number of days from 1 to 3650"). */
  readonly expected: string;
  /** A valid value, shown in the fix of an error message. */
  readonly example: string;
}

/** A text value, checked against a pattern. Without a `default` the setting is optional (`undefined`). */
export interface TextSetting extends SettingBase {
  readonly kind: 'text';
  readonly pattern?: RegExp;
  readonly default?: string;
}

/** A number, checked against a range or a list of allowed values. */
export interface NumberSetting extends SettingBase {
  /** `integer` rejects fractions. */
  readonly kind: 'integer' | 'number';
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  /** The only values accepted; replaces `min` and `max`. */
  readonly allowed?: readonly number[];
}

/** `true` or `false`. */
export interface BooleanSetting extends SettingBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/**
 * A boolean that turns an optional text setting on: unset, it is true exactly when that setting is
 * set; true without that setting is a problem. `whatsappEnabled` switches `whatsappTopicArn`.
 */
export interface SwitchSetting extends SettingBase {
  readonly kind: 'switch';
  /** The optional text setting it turns on. */
  readonly enables: string;
}

/** How one setting is written, checked, defaulted and asked for. */
export type Setting = TextSetting | NumberSetting | BooleanSetting | SwitchSetting;

/** Every setting of an app by its name, the name used in config.json and CDK context. */
export type Settings = Readonly<Record<string, Setting>>;

/** The type of the value a setting holds once checked. */
export type SettingValue<S extends Setting> = S extends { readonly kind: 'text' }
  ? S extends { readonly default: string }
    ? string
    : string | undefined
  : S extends { readonly kind: 'boolean' | 'switch' }
    ? boolean
    : number;

/** The checked values of every setting: the configuration type an app's constructs receive. */
export type ConfigValues<S extends Settings> = { readonly [K in keyof S]: SettingValue<S[K]> };

// CloudWatch Logs accepts only these retention periods.
const logRetentionPeriods = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The settings every engagement-db CDK app has: where it deploys and the prefix of the names the
 * apps share (so the analytics app finds the ingestion app's Glue database by name). Spread them
 * into an app's settings; `createCdkApp` needs them.
 *
 * @example new ConfigSchema({ app: 'analytics', settings: { ...sharedSettings, bytesScannedCutoffMb: { ... } } })
 */
export const sharedSettings = {
  account: {
    kind: 'text',
    pattern: /^\d{12}$/,
    expected: 'a 12-digit AWS account id',
    example: '123456789012',
    question: 'AWS account id to deploy to (empty: the account of your credentials)',
  },
  region: {
    kind: 'text',
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    expected: 'an AWS region name such as us-east-1',
    example: 'us-east-1',
    question: 'AWS region to deploy to (empty: the region of your profile)',
  },
  namesPrefix: {
    kind: 'text',
    default: 'engagementdb',
    pattern: /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/,
    expected:
      '2 to 24 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen',
    example: 'engagementdb',
    question: 'Prefix of the resource names every engagement-db app shares (streams, Glue, alarms, ...)',
  },
} as const satisfies Settings;

/**
 * How long CloudWatch keeps an app's Lambda and service logs: one of the periods CloudWatch Logs offers.
 *
 * @example settings: { ...sharedSettings, logRetentionDays: logRetentionDaysSetting }
 */
export const logRetentionDaysSetting = {
  kind: 'integer',
  default: 30,
  allowed: logRetentionPeriods,
  expected: `one of the CloudWatch Logs retention periods: ${logRetentionPeriods.join(', ')} days`,
  example: '30',
  question: 'Days to keep the CloudWatch logs of the Lambda functions and streams',
} as const satisfies NumberSetting;

// Units such as MiB are one word: eventsBufferSizeMiB is events-buffer-size-mib.
function wordsOf(key: string): string[] {
  return key
    .replace(/([KMGT])iB/g, '$1ib')
    .split(/(?=[A-Z])/)
    .map((word) => word.toLowerCase());
}

/**
 * The command-line flag of a setting, as `configure` takes it.
 *
 * @example flagOf('transformerBufferSizeMiB') // 'transformer-buffer-size-mib'
 */
export function flagOf(key: string): string {
  return wordsOf(key).join('-');
}

/**
 * The environment variable of a setting: `ENGAGEMENT_DB_` and the name in upper snake case. Every
 * app reads the same variable for a shared setting, so one `ENGAGEMENT_DB_NAMES_PREFIX` renames all.
 *
 * @example environmentVariableOf('eventsBufferSizeMiB') // 'ENGAGEMENT_DB_EVENTS_BUFFER_SIZE_MIB'
 */
export function environmentVariableOf(key: string): string {
  return `ENGAGEMENT_DB_${wordsOf(key).join('_').toUpperCase()}`;
}
