#!/usr/bin/env node
// The test command: formatting and the workspace configuration first, then every project's lint,
// typecheck, tests and build through Nx, streamed, ending with one line that adds up the Jest results
// of all projects.
import { spawn, spawnSync } from 'node:child_process';

const env = { ...process.env, NX_DAEMON: 'false', FORCE_COLOR: '0' };
const targets =
  process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lint', 'typecheck', 'test', 'build'];

// Files that belong to no project: the workspace configuration.
const workspaceChecks = [
  ['prettier', '--check', '.'],
  ['eslint', 'eslint.config.mjs', 'jest.preset.js'],
];
for (const [command, ...args] of workspaceChecks) {
  const result = spawnSync('npx', [command, ...args], { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(' ')} failed; run \`npx prettier --write .\` for formatting.`);
    process.exit(result.status ?? 1);
  }
}

const nx = spawn(
  'npx',
  ['nx', 'run-many', '-t', ...targets, '--parallel=2', '--output-style=stream-without-prefixes'],
  { stdio: ['ignore', 'pipe', 'pipe'], env },
);

const totals = { passed: 0, failed: 0, skipped: 0 };
// Jest prints its summary on stderr; both streams are passed through and read line by line.
for (const [source, sink] of [
  [nx.stdout, process.stdout],
  [nx.stderr, process.stderr],
]) {
  let pending = '';
  source.on('data', (chunk) => {
    sink.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const tests = /^\s*Tests:\s+(.*)$/.exec(line);
      if (!tests) continue;
      for (const [, count, kind] of tests[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
        totals[kind] += Number(count);
      }
    }
  });
}

nx.on('close', (code) => {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(code ?? 1);
});
