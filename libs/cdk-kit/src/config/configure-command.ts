import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type ConfigLayer, answersLayer, fileLayer, flagsLayer, readConfigFile } from './config-layers';
import type { ConfigSchema } from './config-schema';
import { type Settings, flagOf } from './settings';

/** Where `configure` reads answers from, writes to, and which file it edits. */
export interface ConfigureIo {
  readonly input: Readable;
  readonly output: Writable;
  readonly errorOutput: Writable;
  /** The config.json to edit, unless `--file` names another. */
  readonly configPath: string;
}

/** The exit statuses of `configure`. */
export const ConfigureExitStatus = { ok: 0, invalid: 2 } as const;
export type ConfigureExitStatus = (typeof ConfigureExitStatus)[keyof typeof ConfigureExitStatus];

/**
 * Writes an app's `config.json` from flags (`--names-prefix acme ...`) or, with `--interactive`,
 * from answers to one question per setting. Settings already in the file are kept unless replaced.
 * Nothing is written unless every value is valid; each problem is printed with what, where, the
 * value got, what was expected and how to fix it.
 *
 * @example await runConfigure(schema, ['--names-prefix', 'acme'], { input: process.stdin, output: process.stdout, errorOutput: process.stderr, configPath })
 */
export async function runConfigure<S extends Settings>(
  schema: ConfigSchema<S>,
  argv: readonly string[],
  io: ConfigureIo,
): Promise<ConfigureExitStatus> {
  const parsed = parseFlags(schema, argv);
  if (!parsed.ok) {
    io.errorOutput.write(`${parsed.error}\n${usageOf(schema)}`);
    return ConfigureExitStatus.invalid;
  }
  if (parsed.help) {
    io.output.write(usageOf(schema));
    return ConfigureExitStatus.ok;
  }
  const configPath = parsed.file ?? io.configPath;
  const existing = readConfigFile(configPath, schema.configureCommand);
  if (!existing.ok) {
    io.errorOutput.write(`${existing.error}\n`);
    return ConfigureExitStatus.invalid;
  }
  const layers: ConfigLayer[] = [
    existing.layer ?? fileLayer(configPath, {}, schema.configureCommand),
    flagsLayer(parsed.values),
  ];
  if (parsed.interactive) layers.push(await askQuestions(schema, layers, io));

  const result = schema.resolve(layers);
  if (!result.ok) {
    io.errorOutput.write(
      `Nothing written; ${configPath} would be invalid:\n- ${result.problems.join('\n- ')}\n`,
    );
    return ConfigureExitStatus.invalid;
  }
  const written: Record<string, unknown> = {};
  for (const key of schema.keys) {
    if (layers.some((layer) => layer.values[key] !== undefined)) written[key] = result.config[key];
  }
  const text = `${JSON.stringify(written, null, 2)}\n`;
  writeFileSync(configPath, text);
  io.output.write(`Wrote ${configPath}:\n${text}`);
  return ConfigureExitStatus.ok;
}

/**
 * Runs `configure` as a command on the process's standard streams, editing
 * `<projectDirectory>/config.json`, and sets the exit code. The body of an app's `configure` script.
 *
 * @example runConfigureCommand(ingestionConfigSchema, join(__dirname, '..', '..'));
 */
export function runConfigureCommand<S extends Settings>(
  schema: ConfigSchema<S>,
  projectDirectory: string,
): Promise<void> {
  return runConfigure(schema, process.argv.slice(2), {
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    configPath: join(projectDirectory, 'config.json'),
  }).then((status) => {
    process.exitCode = status;
  });
}

type ParsedFlags =
  | {
      readonly ok: true;
      readonly help: boolean;
      readonly interactive: boolean;
      readonly file: string | undefined;
      readonly values: Record<string, string>;
    }
  | { readonly ok: false; readonly error: string };

function parseFlags<S extends Settings>(schema: ConfigSchema<S>, argv: readonly string[]): ParsedFlags {
  const settingOptions = Object.fromEntries(
    schema.keys.map((key) => [flagOf(key), { type: 'string' as const }]),
  );
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        ...settingOptions,
        interactive: { type: 'boolean', short: 'i' },
        help: { type: 'boolean', short: 'h' },
        file: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const settings: Record<string, string> = {};
    for (const key of schema.keys) {
      const value = (values as Record<string, unknown>)[flagOf(key)];
      if (typeof value === 'string') settings[key] = value;
    }
    return {
      ok: true,
      help: values.help === true,
      interactive: values.interactive === true,
      file: typeof values.file === 'string' ? values.file : undefined,
      values: settings,
    };
  } catch (error) {
    return { ok: false, error: `configure: ${(error as Error).message}` };
  }
}

async function askQuestions<S extends Settings>(
  schema: ConfigSchema<S>,
  earlier: readonly ConfigLayer[],
  io: ConfigureIo,
): Promise<ConfigLayer> {
  const answers: Record<string, string> = {};
  const answered = answersLayer(answers);
  const readline = createInterface({ input: io.input, terminal: false });
  // An iterator keeps lines that arrive before their question is asked (piped answers).
  const lines = readline[Symbol.asyncIterator]();
  try {
    for (const key of schema.keys) {
      for (;;) {
        io.output.write(
          `${schema.settings[key].question} [${currentValue(schema, key, earlier, answers)}]: `,
        );
        const next = await lines.next();
        if (next.done) return answered;
        const answer = String(next.value).trim();
        if (answer === '') break;
        const problem = schema.problemWith(answered, key, answer);
        if (problem === undefined) {
          answers[key] = answer;
          break;
        }
        io.output.write(`${problem}\n`);
      }
    }
    return answered;
  } finally {
    readline.close();
  }
}

function currentValue<S extends Settings>(
  schema: ConfigSchema<S>,
  key: string,
  earlier: readonly ConfigLayer[],
  answers: Record<string, string>,
): string {
  if (answers[key] !== undefined) return answers[key];
  const result = schema.resolve([...earlier, answersLayer(answers)]);
  const value = result.ok
    ? result.config[key]
    : [...earlier].reverse().find((layer) => layer.values[key] !== undefined)?.values[key];
  return value === undefined ? '' : String(value);
}

function usageOf<S extends Settings>(schema: ConfigSchema<S>): string {
  const lines = schema.keys.map(
    (key) => `  --${flagOf(key)} <value>`.padEnd(50) + schema.settings[key].question,
  );
  return [
    `Usage: ${schema.configureCommand} [--interactive] [--file <config.json>] [--<setting> <value> ...]`,
    '',
    `Writes apps/${schema.app}/config.json after checking every value. Settings:`,
    ...lines,
    '',
  ].join('\n');
}
