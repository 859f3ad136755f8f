#!/usr/bin/env node
// Runs a TypeScript entry point (a benchmark) as the workspace ships its code: bundled by esbuild from
// the libraries' sources, as the command, its mapping workers and the Lambda are, then run by node.
// Under tsx every imported binding is read through an accessor, which costs the mapper's hot path
// about 15% and is not what runs in production.
//
//   node tools/run-bundled.mjs src/mapper.bench.ts [args...]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error('usage: node tools/run-bundled.mjs <entry.ts> [args...]');
  process.exit(2);
}
// Inside the workspace, so that the packages left out of the bundle resolve from its node_modules.
const outdir = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'run-bundled');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, `${basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [resolve(entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  conditions: ['@engagement-db/source'],
  external: ['@duckdb/node-api', '@engagement-db/templates'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(run.status ?? 1);
