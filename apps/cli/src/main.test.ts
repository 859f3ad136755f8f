import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProgram } from '../test/run-program';
import { ExitStatus } from './cli-error';
import { engagementDbProgram } from './main';

const commands = engagementDbProgram().commands;
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-cli-usage-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

// A value each option refuses (with exit status 2 and the reason), given with the arguments the
// command needs to get as far as checking it. Options that take any text are listed as such.
const badValues: Record<string, Record<string, { args: string[]; message: string | RegExp }>> = {
  map: {
    '--table': {
      args: ['--table', 'clicks'],
      message: '--table is "clicks", expected events or conversations.',
    },
    '--stream': {
      args: ['--stream', 'clicks'],
      message: '--stream is "clicks", expected events or conversations.',
    },
    '--templates': { args: ['--templates', folder], message: new RegExp(`^--templates ${folder}: `) },
  },
  ingest: {
    '--lake': { args: ['--lake', '', '-'], message: /^the lake path is empty/ },
    '--table': { args: ['--table', 'x', '-'], message: '--table is "x", expected events or conversations.' },
    '--stream': {
      args: ['--stream', 'x', '-'],
      message: '--stream is "x", expected events or conversations.',
    },
    '--templates': { args: ['--templates', folder, '-'], message: new RegExp(`^--templates ${folder}: `) },
    '--workers': { args: ['--workers', 'many', '-'], message: /^--workers many: expected a whole number/ },
  },
  query: {
    '--lake': { args: ['--lake', '', 'SELECT 1'], message: /^the lake path is empty/ },
    '--format': { args: ['--format', 'xml', 'SELECT 1'], message: /^query: --format is "xml", expected/ },
    '--file': {
      args: ['-f', path.join(folder, 'missing.sql')],
      message: /^query: cannot read the SQL file /,
    },
    '--timeout': {
      args: ['--timeout', '0', 'SELECT 1'],
      message: /^query: --timeout is "0"; expected seconds/,
    },
    '--memory-limit': {
      args: ['--lake', folder, '--memory-limit', 'lots', 'SELECT 1'],
      message: /limits.memory is "lots", which DuckDB does not read as a size/,
    },
  },
  dashboard: {
    '--lake': { args: ['--lake', ''], message: /^the lake path is empty/ },
    '--port': {
      args: ['--port', '70000'],
      message: /^dashboard: --port is "70000"; expected a whole number/,
    },
    '--timeout': {
      args: ['--timeout', 'soon'],
      message: /^dashboard: --timeout is "soon"; expected seconds/,
    },
    '--memory-limit': {
      args: ['--memory-limit', '2 elephants'],
      message: /limits.memory is "2 elephants", which DuckDB does not read as a size/,
    },
  },
  views: {
    '--lake': { args: ['--lake', ''], message: /^the lake path is empty/ },
  },
  adopt: {
    '--lake': { args: ['--lake', path.join(folder, 'missing')], message: /^no lake at / },
  },
  demo: {
    '--lake': { args: ['--lake', ''], message: /^the lake path is empty/ },
    '--events': { args: ['--events', '0'], message: /^--events is "0"; expected a whole number/ },
  },
  serve: {
    '--lake': { args: ['--lake', ''], message: /^the lake path is empty/ },
    '--port': { args: ['--port', '70000'], message: /^--port is "70000"; expected a whole number/ },
    '--buffer-size': { args: ['--buffer-size', '0'], message: /^--buffer-size is "0"; expected a positive/ },
    '--buffer-interval': {
      args: ['--buffer-interval', '-1'],
      message: /^--buffer-interval is "-1"; expected a non-negative/,
    },
    '--templates': { args: ['--templates', folder], message: new RegExp(`^--templates ${folder}: `) },
  },
};
// Options whose value can be any text: an account id, the address to listen on.
const anyText = new Set(['--account-id', '--host']);

describe('engagement-db usage errors', () => {
  it.each(commands.map((command) => [command.name()]))(
    "%s: an unknown option prints commander's message and exits with status 2",
    async (name) => {
      const run = await runProgram([name, '--no-such-option']);

      expect(run.status).toBe(ExitStatus.unusable);
      expect(run.stderr).toMatch(/^error: unknown option '--no-such-option'\n/);
      expect(run.stderr).toContain(`(engagement-db ${name} --help shows its usage)`);
      expect(run.stdout).toBe('');
    },
  );

  it.each(
    commands.flatMap((command) =>
      command.options
        .filter((option) => option.required)
        .map((option) => [command.name(), option.flags] as const),
    ),
  )('%s: %s without its value exits with status 2', async (name, flags) => {
    const flag = flags.split(/[ ,]+/).find((part) => part.startsWith('--')) as string;

    const run = await runProgram([name, flag]);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toMatch(
      new RegExp(`^error: option '${flags.replace(/[[\]]/g, '\\$&')}' argument missing\n`),
    );
  });

  it.each(
    commands
      .filter((command) => command.commands.length === 0)
      .filter((command) => !command.registeredArguments.some((argument) => argument.variadic))
      .map((command) => [command.name(), command.registeredArguments.length] as const),
  )('%s: more arguments than it takes exits with status 2', async (name, count) => {
    const run = await runProgram([name, ...Array.from({ length: count + 1 }, (_, i) => `extra-${i}`)]);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toMatch(new RegExp(`^error: too many arguments for '${name}'`));
  });

  it.each(
    Object.entries(badValues).flatMap(([name, options]) =>
      Object.entries(options).map(([flag, bad]) => [name, flag, bad] as const),
    ),
  )('%s: a bad %s exits with status 2 and says why', async (name, _flag, { args, message }) => {
    const run = await runProgram([name, ...args]);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.error).toMatchObject({ name: 'CliError', message: expect.stringMatching(message) });
    expect(run.stderr).toMatch(/^engagement-db: [^\n]+\n$/);
  });

  it('has a bad value case for every option of every command that takes one', () => {
    const valueOptions = commands.flatMap((command) =>
      command.options
        .filter((option) => option.required && !anyText.has(option.long ?? ''))
        .map((option) => `${command.name()} ${option.long}`),
    );

    expect(
      valueOptions.filter((option) => !(option.split(' ')[1] in (badValues[option.split(' ')[0]] ?? {}))),
    ).toEqual([]);
  });

  it.each([
    [['--version'], /^\d+\.\d+\.\d+\n$/],
    [['--help'], /^Usage: engagement-db /],
    [['map', '--help'], /^Usage: engagement-db map /],
  ])('%j prints to stdout and exits with status 0', async (args, output) => {
    const run = await runProgram(args);

    expect(run.status).toBe(ExitStatus.ok);
    expect(run.stdout).toMatch(output);
  });

  it.each([
    [['no-such-command'], /^error: unknown command 'no-such-command'\n/],
    [[], /^Usage: engagement-db /],
  ])('%j exits with status 2', async (args, output) => {
    const run = await runProgram(args);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toMatch(output);
  });

  it('escapes control characters that an unknown option brings to the terminal', async () => {
    const run = await runProgram(['map', '--\u001b[2J']);

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toMatch(/^error: unknown option '--\\u001b\[2J'\n/);
  });
});

describe('the built engagement-db command', () => {
  it("exits with status 2 on a usage error, and prints commander's message once", () => {
    const run = spawnSync(
      process.execPath,
      [path.join(__dirname, '..', 'bin', 'engagement-db.js'), 'views', '--bogus'],
      {
        encoding: 'utf8',
      },
    );

    expect(run.status).toBe(ExitStatus.unusable);
    expect(run.stderr).toBe(
      "error: unknown option '--bogus'\n(engagement-db views --help shows its usage)\n",
    );
  });
});
