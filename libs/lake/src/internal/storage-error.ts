import { LakeDirectoryError } from '../errors';
import { faultPoints } from './fault-points';

/** What the file-system errors that come from the disk rather than from a bug mean, and what to do. */
const storageCauses: Readonly<Record<string, { readonly cause: string; readonly fix: string }>> = {
  ENOSPC: { cause: 'no space left on device', fix: 'free some space or choose another lake with --lake' },
  EDQUOT: { cause: 'disk quota exceeded', fix: 'free some space or choose another lake with --lake' },
  EROFS: { cause: 'read-only file system', fix: 'choose a writable lake with --lake' },
  EACCES: { cause: 'permission denied', fix: 'make the lake writable or choose another with --lake' },
  EPERM: { cause: 'operation not permitted', fix: 'make the lake writable or choose another with --lake' },
  EIO: { cause: 'input/output error', fix: 'check the disk, then try again' },
};

/**
 * The error to report for a failed write to the lake: a disk or permission failure becomes a one-line
 * `LakeDirectoryError` naming the path and the cause (`Cannot write PATH: no space left on device
 * (ENOSPC); ...`); anything else (a bug) is returned unchanged.
 */
export function storageErrorOf(error: unknown, target: string, consequence = ''): unknown {
  if (error instanceof LakeDirectoryError) return error;
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  const known = typeof code === 'string' ? storageCauses[code] : undefined;
  if (!known) return error;
  const where = typeof path === 'string' && path !== '' ? path : target;
  return new LakeDirectoryError(
    `Cannot write ${where}: ${known.cause} (${code}); ${known.fix}${consequence ? `. ${consequence}` : ''}.`,
    { cause: error },
  );
}

/** Runs a write to `target`, reporting a disk or permission failure with `storageErrorOf`. */
export function writingTo<T>(target: string, write: () => T): T {
  try {
    faultPoints.beforeWrite?.(target);
    return write();
  } catch (error) {
    throw storageErrorOf(error, target);
  }
}

/** `writingTo` for a write that runs off the event loop. */
export async function writingToAsync<T>(target: string, write: () => Promise<T>): Promise<T> {
  try {
    faultPoints.beforeWrite?.(target);
    return await write();
  } catch (error) {
    throw storageErrorOf(error, target);
  }
}
