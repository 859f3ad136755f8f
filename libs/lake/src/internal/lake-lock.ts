import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LakeLockError } from '../errors';
import { isProcessAlive } from './ingest-id';
import { storageErrorOf } from './storage-error';

/** The lock file of a lake: present while one process checks for duplicates and commits. */
export const lockFile = '_lock';
// Taken only to remove the lock of a dead process, so two processes never both remove and retake it.
const breakerFile = '_lock.break';
// A lock file without a readable holder (written where links are not supported, and cut short by a
// crash) or a breaker (held for a few system calls) is left alone this long before it counts as stale.
const unreadableGraceMs = 10_000;
const defaultTimeoutMs = 60_000;

interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly token: string;
}

/** The lake lock, held by this process until `release`. */
export class LakeLock {
  private constructor(
    private readonly file: string,
    private readonly token: string,
  ) {}

  /**
   * Takes the lock when it is free or its holder is a process of this machine that has died;
   * undefined when a live process (or one on another machine) holds it.
   */
  static tryAcquire(lake: string): LakeLock | undefined {
    const file = path.join(lake, lockFile);
    const holder: LockHolder = {
      pid: process.pid,
      host: os.hostname(),
      since: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        if (createHolderFile(file, holder)) return new LakeLock(file, holder.token);
      } catch (error) {
        throw storageErrorOf(error, file, 'The lake lock could not be taken; nothing was committed');
      }
      const current = readHolder(file);
      if (current === 'gone') continue;
      if (current === 'unreadable' ? !isOld(file) : !isDead(current)) return undefined;
      breakLock(lake, file, current);
    }
    return undefined;
  }

  /** Who holds the lock now, for messages; undefined when nobody does. */
  static describeHolder(lake: string): string | undefined {
    const current = readHolder(path.join(lake, lockFile));
    if (current === 'gone') return undefined;
    if (current === 'unreadable') return 'a lock file without a readable holder';
    return `process ${current.pid} on ${current.host} since ${current.since}`;
  }

  /** Gives the lock back. */
  release(): void {
    const current = readHolder(this.file);
    if (current !== 'gone' && current !== 'unreadable' && current.token === this.token) {
      fs.rmSync(this.file, { force: true });
    }
  }
}

// Callers in this process wait their turn here instead of polling the file each other holds.
const turns = new Map<string, Promise<void>>();

/**
 * Runs `work` while holding the lake lock: callers of this process one after another, other
 * processes through `LAKE/_lock`. Waits for a live holder (polling, up to a minute), takes over the
 * lock of a dead one, and throws `LakeLockError` when a live holder keeps it longer than that.
 */
export async function withLakeLock<T>(
  lake: string,
  work: () => T | Promise<T>,
  timeoutMs = defaultTimeoutMs,
): Promise<T> {
  const key = path.resolve(lake);
  const previous = turns.get(key) ?? Promise.resolve();
  let done!: () => void;
  const turn = previous.then(() => new Promise<void>((resolve) => (done = resolve)));
  turns.set(key, turn);
  await previous;
  try {
    const lock = await acquire(lake, timeoutMs);
    try {
      return await work();
    } finally {
      lock.release();
    }
  } finally {
    done();
    if (turns.get(key) === turn) turns.delete(key);
  }
}

async function acquire(lake: string, timeoutMs: number): Promise<LakeLock> {
  const started = Date.now();
  for (let wait = 2; ; wait = Math.min(2 * wait, 100)) {
    const lock = LakeLock.tryAcquire(lake);
    if (lock) return lock;
    if (Date.now() - started >= timeoutMs) {
      const file = path.join(lake, lockFile);
      throw new LakeLockError(
        `Lake ${lake} is locked by ${LakeLock.describeHolder(lake) ?? 'another process'} for more than ` +
          `${Math.round(timeoutMs / 1000)} s; expected the lock (${file}) to be held for moments while an ingest commits. ` +
          `If no engagement-db process is running on this lake, delete ${file} and try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/**
 * Creates the lock file holding `holder`, or returns false when it exists. The holder is written to
 * a file of its own first and linked into place, so the lock file is never seen (or left by a
 * crash) without its holder's name; where links are not supported it is created and written.
 */
function createHolderFile(file: string, holder: LockHolder): boolean {
  const own = `${file}.${holder.pid}-${holder.token}`;
  fs.writeFileSync(own, JSON.stringify(holder));
  try {
    fs.linkSync(own, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  } finally {
    fs.rmSync(own, { force: true });
  }
  try {
    fs.writeFileSync(file, JSON.stringify(holder), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readHolder(file: string): LockHolder | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const holder = JSON.parse(text) as Partial<LockHolder>;
    if (typeof holder.pid === 'number' && typeof holder.token === 'string') return holder as LockHolder;
  } catch {
    // a holder still writing its name, or a crash in between
  }
  return 'unreadable';
}

/** Whether a holder has certainly died: a process of this machine that no longer runs. */
function isDead(holder: LockHolder): boolean {
  return holder.host === os.hostname() && !isProcessAlive(holder.pid);
}

function isOld(file: string): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && Date.now() - stat.mtimeMs > unreadableGraceMs;
}

/**
 * Removes the lock `stale` left by a dead process. Under the breaker, and only if the lock file still
 * holds that same holder: a process that read the same stale lock a moment later finds the new
 * holder's lock and leaves it alone.
 */
function breakLock(lake: string, file: string, stale: LockHolder | 'unreadable'): void {
  const breaker = path.join(lake, breakerFile);
  try {
    fs.writeFileSync(breaker, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw storageErrorOf(error, breaker);
    // A breaker left by a process that died while holding it (a few system calls long) is removed.
    if (isOld(breaker)) fs.rmSync(breaker, { force: true });
    return;
  }
  try {
    const current = readHolder(file);
    const same =
      stale === 'unreadable'
        ? current === 'unreadable'
        : current !== 'gone' && current !== 'unreadable' && current.token === stale.token;
    if (same) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}
