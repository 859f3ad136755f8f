// Bundles the Lambda handler into one file, dist-lambda/index.js, and copies the default templates
// to dist-lambda/templates/, where the handler looks for them first.
const { build } = require('esbuild');
const { copyFileSync, mkdirSync, readdirSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { templatesDirectory } = require('@engagement-db/templates');

async function bundleLambda(outdir = join(__dirname, 'dist-lambda')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(__dirname, 'src', 'lambda.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The workspace libraries are bundled from their TypeScript sources, the AWS SDK too, so the
    // function does not depend on the SDK version of the runtime.
    conditions: ['@engagement-db/source'],
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const templates = readdirSync(templatesDirectory).filter((file) => file.endsWith('.vm'));
  if (templates.length === 0) {
    throw new Error(
      `No .vm templates in ${templatesDirectory}; expected the default templates there to bundle beside the handler.`,
    );
  }
  mkdirSync(join(outdir, 'templates'));
  for (const file of templates) copyFileSync(join(templatesDirectory, file), join(outdir, 'templates', file));
  return outdir;
}

module.exports = { bundleLambda };

if (require.main === module) {
  bundleLambda(process.argv[2]).then(
    (outdir) => console.log(`bundled the handler into ${join(outdir, 'index.js')}`),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
