import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `configure` as the README documents it: npm, from the repository root.
const repositoryRoot = join(__dirname, '..', '..', '..', '..');

let directory: string;

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'analytics-configure-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function configure(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'configure', '-w', 'apps/analytics', '--', ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: directory },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run configure -w apps/analytics', () => {
  it('writes the settings given as flags, run from the repository root', () => {
    // Prepare
    const file = join(directory, 'config.json');

    // Act
    const result = configure('--file', file, '--names-prefix', 'acme', '--bytes-scanned-cutoff-mb', '200');

    // Assert
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      namesPrefix: 'acme',
      bytesScannedCutoffMb: 200,
    });
  });

  it('ends a wrong value with its problem and exit status 2, without a stack trace', () => {
    // Act
    const result = configure('--file', join(directory, 'invalid.json'), '--bytes-scanned-cutoff-mb', '1');

    // Assert
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `Nothing written; ${join(directory, 'invalid.json')} would be invalid:\n` +
        '- --bytes-scanned-cutoff-mb from the command line is "1"; expected a whole number of MB from 10 (Athena’s minimum) ' +
        'to 10000000. Fix: pass --bytes-scanned-cutoff-mb 1000.\n',
    });
  });
});
