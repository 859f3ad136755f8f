import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LakeVersion } from './dashboard-api';

/** The folder of a lake where every committed ingest files its manifest, last, once its data is in place. */
const ingestsFolder = '_ingests';

export type { LakeVersion };

/**
 * The version of a lake's data: a digest of the names of the manifests under `_ingests/`. An ingest files its
 * manifest after its Parquet files are in place, so a new version means new data a query sees; reading it costs
 * one directory listing, which is what the page polls. A lake without the folder (none yet, or not a lake) is
 * `none`.
 *
 * @example lakeVersionOf('./engagement-lake') // { version: '5f0c2a9e1b7d4c3a', ingests: 3 }
 */
export function lakeVersionOf(lake: string): LakeVersion {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(lake, ingestsFolder));
  } catch {
    return { version: 'none', ingests: 0 };
  }
  const manifests = names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
  if (manifests.length === 0) return { version: 'none', ingests: 0 };
  const digest = createHash('sha256').update(manifests.join('\n')).digest('hex').slice(0, 16);
  return { version: digest, ingests: manifests.length };
}
