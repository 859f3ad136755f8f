// Bundles the command into one file; DuckDB's native binding and the default templates stay packages.
import { build } from 'esbuild';

await build({
  entryPoints: { 'engagement-db': 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  conditions: ['@engagement-db/source'],
  external: ['@duckdb/node-api', '@engagement-db/templates'],
  logLevel: 'warning',
});
