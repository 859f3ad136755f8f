import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type ConfigKey, configFields, configKeys, flagOf } from './config-fields';
import {
  type ConfigLayer,
  fileLayer,
  flagsLayer,
  problemWithValue,
  readConfigFile,
  resolveIngestionConfig,
} from './ingestion-config';

/** Where `configure` reads answers from, writes to, and which file it edits. */
export interface ConfigureIo {
  readonly input: Readable;
  readonly output: Writable;
  readonly errorOutput: Writable;
  readonly configPath: string;
}

/** The exit statuses of `configure`. */
export const ConfigureExitStatus = { ok: 0, invalid: 2 } as const;
export type ConfigureExitStatus = (typeof ConfigureExitStatus)[keyof typeof ConfigureExitStatus];

/**
 * Writes the ingestion app's `config.json` from flags (`--whatsapp-topic-arn ... --names-prefix ...`)
 * or, with `--interactive`, from answers to one question per setting. Settings already in the file
 * are kept unless replaced. Nothing is written unless every value is valid; each problem is printed
 * with what, where, the value got, what was expected and how to fix it.
 *
 * @example await runConfigure(['--names-prefix', 'acme'], { input: process.stdin, output: process.stdout, errorOutput: process.stderr, configPath })
 */
export async function runConfigure(argv: readonly string[], io: ConfigureIo): Promise<ConfigureExitStatus> {
  const parsed = parseFlags(argv);
  if (!parsed.ok) {
    io.errorOutput.write(`${parsed.message}\n${usage()}`);
    return ConfigureExitStatus.invalid;
  }
  if (parsed.help) {
    io.output.write(usage());
    return ConfigureExitStatus.ok;
  }
  const configPath = parsed.file ?? io.configPath;
  const existing = readConfigFile(configPath);
  if (!existing.ok) {
    io.errorOutput.write(`${existing.problem}\n`);
    return ConfigureExitStatus.invalid;
  }
  const layers: ConfigLayer[] = [existing.layer ?? fileLayer(configPath, {}), flagsLayer(parsed.values)];
  if (parsed.interactive) layers.push(await askQuestions(layers, io));

  const result = resolveIngestionConfig(layers);
  if (!result.ok) {
    io.errorOutput.write(
      `Nothing written; ${configPath} would be invalid:\n- ${result.problems.join('\n- ')}\n`,
    );
    return ConfigureExitStatus.invalid;
  }
  const written: Record<string, unknown> = {};
  for (const key of configKeys) {
    if (layers.some((layer) => layer.values[key] !== undefined)) written[key] = result.config[key];
  }
  const text = `${JSON.stringify(written, null, 2)}\n`;
  writeFileSync(configPath, text);
  io.output.write(`Wrote ${configPath}:\n${text}`);
  return ConfigureExitStatus.ok;
}

type ParsedFlags =
  | {
      readonly ok: true;
      readonly help: boolean;
      readonly interactive: boolean;
      readonly file: string | undefined;
      readonly values: Record<string, string>;
    }
  | { readonly ok: false; readonly message: string };

function parseFlags(argv: readonly string[]): ParsedFlags {
  const settingOptions = Object.fromEntries(
    configKeys.map((key) => [flagOf(key), { type: 'string' as const }]),
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
    for (const key of configKeys) {
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
    return { ok: false, message: `configure: ${(error as Error).message}` };
  }
}

async function askQuestions(earlier: readonly ConfigLayer[], io: ConfigureIo): Promise<ConfigLayer> {
  const answers: Record<string, string> = {};
  const answersLayer: ConfigLayer = {
    origin: 'your answer',
    values: answers,
    nameOf: (key) => key,
    fixOf: (_key, example) => `answer e.g. ${example}, or leave it empty to keep the current value`,
    rejectsUnknownKeys: true,
  };
  const readline = createInterface({ input: io.input, terminal: false });
  // An iterator keeps lines that arrive before their question is asked (piped answers).
  const lines = readline[Symbol.asyncIterator]();
  try {
    for (const key of configKeys) {
      for (;;) {
        io.output.write(`${configFields[key].question} [${currentValue(key, earlier, answers)}]: `);
        const next = await lines.next();
        if (next.done) return answersLayer;
        const answer = String(next.value).trim();
        if (answer === '') break;
        const problem = problemWithValue(answersLayer, key, answer);
        if (problem === undefined) {
          answers[key] = answer;
          break;
        }
        io.output.write(`${problem}\n`);
      }
    }
    return answersLayer;
  } finally {
    readline.close();
  }
}

function currentValue(
  key: ConfigKey,
  earlier: readonly ConfigLayer[],
  answers: Record<string, string>,
): string {
  if (answers[key] !== undefined) return answers[key];
  const result = resolveIngestionConfig(earlier);
  const value = result.ok
    ? result.config[key]
    : [...earlier].reverse().find((l) => l.values[key] !== undefined)?.values[key];
  return value === undefined ? '' : String(value);
}

function usage(): string {
  const lines = configKeys.map((key) => `  --${flagOf(key)} <value>`.padEnd(50) + configFields[key].question);
  return [
    'Usage: npm run configure -- [--interactive] [--file <config.json>] [--<setting> <value> ...]',
    '',
    'Writes apps/ingestion/config.json after checking every value. Settings:',
    ...lines,
    '',
  ].join('\n');
}

if (require.main === module) {
  void runConfigure(process.argv.slice(2), {
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    configPath: join(__dirname, '..', 'config.json'),
  }).then((status) => {
    process.exitCode = status;
  });
}
