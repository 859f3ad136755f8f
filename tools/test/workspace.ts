import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository this test runs in. */
export const workspaceRoot = path.join(__dirname, '..', '..');

const quietEnvironment = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };

/**
 * Runs the workspace's Nx with these arguments in a folder (the workspace by default); what it
 * printed, stdout and stderr in the order they came.
 */
export function nx(args: readonly string[], cwd: string = workspaceRoot): string {
  const nxBin = path.join(workspaceRoot, 'node_modules', '.bin', 'nx');
  return execFileSync('/bin/sh', ['-c', '"$0" "$@" 2>&1', nxBin, ...args], {
    cwd,
    encoding: 'utf8',
    env: quietEnvironment,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** Runs git in a folder; its stdout. */
export function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/**
 * A clone of the repository's committed state in a temporary folder, sharing this workspace's
 * installed packages, with a committer set; `remove()` deletes it.
 */
export function scratchClone(): { readonly path: string; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'engagement-db-clone-'));
  git(['clone', '--quiet', '--no-hardlinks', workspaceRoot, folder], workspaceRoot);
  git(['config', 'user.email', 'tests@example.com'], folder);
  git(['config', 'user.name', 'tests'], folder);
  fs.symlinkSync(path.join(workspaceRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return { path: folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}
