import * as fs from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive, ownerOfIngestId } from './internal/ingest-id';
import { stagingFolder } from './internal/lake-layout';
import { readCommitIntent, rollForward } from './internal/staged-ingest';

/** What `recoverLake` did with the staging folders left by ingests that did not finish. */
export interface LakeRecovery {
  /** Ingests that had written their commit intent: their files are now in place. */
  readonly rolledForward: string[];
  /** Ingests stopped before their commit intent: their staged files are gone. */
  readonly rolledBack: string[];
}

/**
 * Repairs a lake after a crash: finishes every staged ingest that had recorded its commit intent
 * (roll forward) and removes the staging folder of every other one (roll back). Staging folders
 * of ingests whose process still runs are left alone. `ingest` calls it first; call it before
 * reading a lake that a killed process may have been writing.
 *
 * @example const { rolledForward, rolledBack } = recoverLake('./engagement-lake');
 */
export function recoverLake(lake: string): LakeRecovery {
  const recovery: LakeRecovery = { rolledForward: [], rolledBack: [] };
  const staging = path.join(lake, stagingFolder);
  let names: string[];
  try {
    names = fs.readdirSync(staging);
  } catch {
    return recovery;
  }
  for (const name of names.sort()) {
    const owner = ownerOfIngestId(name);
    if (owner !== undefined && isProcessAlive(owner)) continue;
    const directory = path.join(staging, name);
    const intent = readCommitIntent(directory);
    if (intent && intent.ingestId === name) {
      rollForward(lake, name, intent);
      recovery.rolledForward.push(name);
    } else {
      fs.rmSync(directory, { recursive: true, force: true });
      recovery.rolledBack.push(name);
    }
  }
  return recovery;
}
