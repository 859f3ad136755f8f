import { randomBytes } from 'node:crypto';

const ingestIdPattern = /^(\d{8}T\d{9}Z)-p(\d+)-([0-9a-f]{6})$/;

/**
 * A new ingest id: sortable by time, carrying the writer's process id so recovery can tell a live
 * ingest from one whose process died (`20250108T233043271Z-p4242-a1b2c3`).
 */
export function newIngestId(now: Date = new Date(), pid: number = process.pid): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-p${pid}-${randomBytes(3).toString('hex')}`;
}

/** The process id that owns an ingest, or undefined for a name that is no ingest id. */
export function ownerOfIngestId(id: string): number | undefined {
  const match = ingestIdPattern.exec(id);
  return match ? Number(match[2]) : undefined;
}

/** Whether a process is still running (and so may still be writing its staging folder). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
