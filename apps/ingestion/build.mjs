// Bundles the Firehose transformer into one file with the default templates beside it, for
// lambda.Code.fromAsset. Run by the build target, which synth, diff, deploy, destroy and test depend on.
// The bundling itself belongs to the transformer package (its bundle.cjs); this only says where.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const projectDirectory = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export default async function bundleTransformer() {
  const transformerDirectory = dirname(require.resolve('@engagement-db/firehose-transformer/package.json'));
  const { bundleLambda } = require(join(transformerDirectory, 'bundle.cjs'));
  await bundleLambda(join(projectDirectory, 'dist', 'transformer'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleTransformer();
