import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where the mapping worker script is by default: `mapping-worker.js` beside the running code (the
 * lake's `dist/`, or a bundle that built `@engagement-db/lake/mapping-worker` next to itself), else
 * the TypeScript source beside this file (tests and `tsx` runs of the sources).
 *
 * @example new Worker(defaultMappingWorkerScript(), { workerData }) // '/app/dist/mapping-worker.js'
 */
export function defaultMappingWorkerScript(): string {
  const built = path.join(__dirname, 'mapping-worker.js');
  return fs.existsSync(built) ? built : path.join(__dirname, 'mapping-worker.ts');
}
