import * as fs from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive, ownerOfIngestId } from './internal/ingest-id';
import { LakeLock } from './internal/lake-lock';
import { stagingFolder } from './internal/lake-layout';
import { readCommitIntent, rollForward } from './internal/staged-ingest';
import { storageErrorOf } from './internal/storage-error';

/** What `recoverLake` did with the staging folders left by ingests that did not finish. */
export interface LakeRecovery {
  /** Ingests that had written their commit intent: their files are now in place. */
  readonly rolledForward: string[];
  /** Ingests stopped before their commit intent: their staged files are gone. */
  readonly rolledBack: string[];
}

/**
 * Repairs a lake after a crash: finishes every staged ingest that had recorded its commit intent
 * (roll forward) and removes the staging folder of every other one whose process has died (roll
 * back). Staging folders of ingests still running are left alone. Runs under the lake lock; when
 * another process holds it (it is committing or recovering right now) there is nothing to do and
 * nothing is done. `ingest` repairs the lake first; call this before reading a lake that a killed
 * process may have been writing.
 *
 * @throws LakeDirectoryError when there is something to repair but the lake cannot be written.
 * @example const { rolledForward, rolledBack } = recoverLake('./engagement-lake');
 */
export function recoverLake(lake: string): LakeRecovery {
  if (stagedIngestsOf(lake).length === 0) return { rolledForward: [], rolledBack: [] };
  const lock = LakeLock.tryAcquire(lake);
  if (!lock) return { rolledForward: [], rolledBack: [] };
  try {
    return recoverStagedIngests(lake);
  } finally {
    lock.release();
  }
}

/**
 * `recoverLake`'s work, for a caller that holds the lake lock. A commit happens only under the lock,
 * so a staged ingest with a commit intent is finished here whoever wrote it: a process still running
 * whose commit failed halfway included.
 */
export function recoverStagedIngests(lake: string): LakeRecovery {
  const recovery: LakeRecovery = { rolledForward: [], rolledBack: [] };
  for (const name of stagedIngestsOf(lake)) {
    const directory = path.join(lake, stagingFolder, name);
    try {
      const intent = readCommitIntent(directory);
      if (intent && intent.ingestId === name) {
        rollForward(lake, name, intent);
        recovery.rolledForward.push(name);
        continue;
      }
      const owner = ownerOfIngestId(name);
      if (owner !== undefined && isProcessAlive(owner)) continue;
      fs.rmSync(directory, { recursive: true, force: true });
      recovery.rolledBack.push(name);
    } catch (error) {
      throw storageErrorOf(error, directory, 'The lake could not be repaired');
    }
  }
  return recovery;
}

/** The staging folders of a lake, sorted; none when it has no staging folder. */
export function stagedIngestsOf(lake: string): string[] {
  try {
    return fs.readdirSync(path.join(lake, stagingFolder)).sort();
  } catch {
    return [];
  }
}
