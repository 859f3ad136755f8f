// Bundles the command into one file, and beside it the lake's mapping worker script, which
// `ingest` starts as worker threads from `mapping-worker.js` next to the running bundle.
// DuckDB's native binding and the default templates stay packages, and so do the analytics views' SQL
// files, which @engagement-db/sql finds through its package.json.
// The dashboard page is bundled for the browser into dist/dashboard/: its script (the dashboard definition
// and Apache ECharts, only the parts it draws with), its style sheet and icon, which `engagement-db dashboard`
// serves from memory. Every file is written beside its place and renamed into it, so a build never leaves a
// half-written file for a command (or test) running at the same time.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const common = { absWorkingDir: root, bundle: true, write: false, logLevel: 'warning' };

const outputs = await Promise.all([
  build({
    ...common,
    entryPoints: { 'engagement-db': 'src/main.ts', 'mapping-worker': '@engagement-db/lake/mapping-worker' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    conditions: ['@engagement-db/source'],
    external: ['@duckdb/node-api', '@engagement-db/templates', '@engagement-db/sql/package.json'],
  }),
  build({
    ...common,
    entryPoints: { dashboard: 'src/dashboard/page/main.ts' },
    outdir: 'dist/dashboard',
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    format: 'iife',
    minify: true,
    legalComments: 'eof',
    conditions: ['@engagement-db/source'],
  }),
  build({
    ...common,
    entryPoints: { dashboard: 'src/dashboard/page/dashboard.css', favicon: 'src/dashboard/page/favicon.svg' },
    outdir: 'dist/dashboard',
    minify: true,
    loader: { '.svg': 'copy' },
  }),
]);

for (const file of outputs.flatMap((output) => output.outputFiles)) {
  await fs.mkdir(path.dirname(file.path), { recursive: true });
  const staged = `${file.path}.${process.pid}.tmp`;
  await fs.writeFile(staged, file.contents);
  await fs.rename(staged, file.path);
}
