import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesUnder, temporaryFolder } from '../../test/lake-test-kit';
import { LakeLock, lockFile, withLakeLock } from './lake-lock';

function holder(pid: number, token = 'stale-token'): string {
  return JSON.stringify({ pid, host: os.hostname(), since: '2025-03-14T09:30:00.000Z', token });
}

describe('withLakeLock', () => {
  let lake: ReturnType<typeof temporaryFolder>;
  let sleeper: ChildProcess | undefined;
  beforeEach(() => {
    lake = temporaryFolder();
  });
  afterEach(() => {
    sleeper?.kill('SIGKILL');
    lake.remove();
  });

  it('runs callers of one process one after another and leaves no lock behind', async () => {
    const order: string[] = [];
    const step = (name: string, ms: number) => async () => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      expect(fs.existsSync(path.join(lake.path, lockFile))).toBe(true);
      order.push(`${name} out`);
    };

    await Promise.all([withLakeLock(lake.path, step('a', 30)), withLakeLock(lake.path, step('b', 1))]);

    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(filesUnder(lake.path)).toEqual([]);
  });

  it('takes over the lock of a process that has died', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    fs.writeFileSync(path.join(lake.path, lockFile), holder(dead));

    const result = await withLakeLock(lake.path, () => 'ran', 1000);

    expect(result).toBe('ran');
    expect(filesUnder(lake.path)).toEqual([]);
  });

  it('waits for a live holder, then throws LakeLockError naming it', async () => {
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    fs.writeFileSync(path.join(lake.path, lockFile), holder(sleeper.pid as number));
    const started = Date.now();

    const attempt = withLakeLock(lake.path, () => 'ran', 300);

    await expect(attempt).rejects.toMatchObject({
      name: 'LakeLockError',
      message: expect.stringMatching(
        new RegExp(
          `^Lake ${lake.path} is locked by process ${sleeper.pid} on .+ for more than 0 s; .+ If no engagement-db process`,
        ),
      ),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(fs.readFileSync(path.join(lake.path, lockFile), 'utf8')).toBe(holder(sleeper.pid as number));
  });

  it('takes the stale lock of a dead process once: the next attempt finds it held', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    fs.writeFileSync(path.join(lake.path, lockFile), holder(dead));

    const first = LakeLock.tryAcquire(lake.path);
    const second = LakeLock.tryAcquire(lake.path);

    expect(first).toBeDefined();
    // The same process holds it now, and is alive: the second attempt must wait.
    expect(second).toBeUndefined();
    first?.release();
    expect(filesUnder(lake.path)).toEqual([]);
  });
});
