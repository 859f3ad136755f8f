import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `configure` as the README documents it: npm, from the repository root.
const repositoryRoot = join(__dirname, '..', '..', '..', '..');

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'ingestion-configure-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function configure(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'configure', '-w', 'apps/ingestion', '--', ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: directory },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run configure -w apps/ingestion', () => {
  it('writes the settings given as flags, run from the repository root', () => {
    // Prepare
    const file = join(directory, 'config.json');

    // Act
    const result = configure('--file', file, '--names-prefix', 'acme', '--events-buffer-size-mib', '64');

    // Assert
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ namesPrefix: 'acme', eventsBufferSizeMiB: 64 });
  });

  it('ends a wrong value with its problem and exit status 2, without a stack trace', () => {
    // Act
    const result = configure('--file', join(directory, 'invalid.json'), '--events-buffer-size-mib', '10');

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `Nothing written; ${join(directory, 'invalid.json')} would be invalid:\n` +
        '- --events-buffer-size-mib from the command line is "10"; expected a whole number of MiB from 64 to 128 ' +
        '(Firehose needs at least 64 MiB when it partitions dynamically or writes Parquet). Fix: pass --events-buffer-size-mib 128.\n',
    });
  });
});
