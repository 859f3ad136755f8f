// Bundles the Athena view custom resource's handlers (src/handlers/lambda.ts) into one file with
// esbuild, AWS SDK included, for lambda.Code.fromAsset. Run by the build target, which synth, diff, deploy,
// destroy and test depend on.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectDirectory = dirname(fileURLToPath(import.meta.url));

export default async function bundleAthenaViewHandler() {
  const outdir = join(projectDirectory, 'dist', 'athena-view-handler');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(projectDirectory, 'src', 'handlers', 'lambda.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // The SDK is bundled, so the function does not depend on the SDK version of the runtime.
    conditions: ['@engagement-db/source'],
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleAthenaViewHandler();
