// Bundles the command into one file, and beside it the lake's mapping worker script, which
// `ingest` starts as worker threads from `mapping-worker.js` next to the running bundle.
// DuckDB's native binding and the default templates stay packages, and so do the analytics views' SQL
// files, which @engagement-db/sql finds through its package.json.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

await build({
  absWorkingDir: path.dirname(fileURLToPath(import.meta.url)),
  entryPoints: { 'engagement-db': 'src/main.ts', 'mapping-worker': '@engagement-db/lake/mapping-worker' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  conditions: ['@engagement-db/source'],
  external: ['@duckdb/node-api', '@engagement-db/templates', '@engagement-db/sql/package.json'],
  logLevel: 'warning',
});
