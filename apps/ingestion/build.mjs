// Bundles the Firehose transformer into one file with the default templates beside it, for
// lambda.Code.fromAsset. Run by `npm run build`, by cdk.json before every synth, and by jest's globalSetup.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectDirectory = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export default async function bundleTransformer() {
  const outdir = join(projectDirectory, 'dist', 'transformer');
  const transformerDirectory = dirname(require.resolve('@engagement-db/firehose-transformer/package.json'));
  const { templatesDirectory } = require('@engagement-db/templates');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(transformerDirectory, 'src', 'lambda.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    conditions: ['@engagement-db/source'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  const templatesOut = join(outdir, 'templates');
  mkdirSync(templatesOut, { recursive: true });
  for (const file of readdirSync(templatesDirectory).filter((name) => name.endsWith('.vm'))) {
    copyFileSync(join(templatesDirectory, file), join(templatesOut, file));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleTransformer();
