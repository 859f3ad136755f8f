import * as fs from 'node:fs';
import * as path from 'node:path';

/** Flushes a file's content to the disk, off the event loop, so a rename that follows never exposes a torn file. */
export async function syncFileAsync(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (creations, renames) to the disk. */
export function syncDirectory(directory: string): void {
  let fd: number;
  try {
    fd = fs.openSync(directory, 'r');
  } catch {
    return; // some platforms cannot open folders; their renames are durable enough
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // fsync on a folder is refused on some file systems; nothing more can be done there
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a whole file so that readers see either nothing or all of it, even after a crash. */
export async function writeFileAtomicallyAsync(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await fs.promises.open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
  await syncDirectoryAsync(path.dirname(file));
}

/** `syncDirectory` without holding the event loop. */
export async function syncDirectoryAsync(directory: string): Promise<void> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(directory, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // refused on some file systems, as in syncDirectory
  } finally {
    await handle.close();
  }
}

/**
 * `mkdir -p`, reporting the true cause when the disk refuses: Node's recursive mkdir says ENOENT
 * where the file system said EROFS (or EACCES), so the folders are then made one by one.
 */
export function makeFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const missing: string[] = [];
    for (let at = folder; !fs.existsSync(at) && path.dirname(at) !== at; at = path.dirname(at))
      missing.unshift(at);
    for (const at of missing) fs.mkdirSync(at);
  }
}

/**
 * What a write of `written` bytes left of `buffers`, in order: the buffers it did not reach, the
 * first of them cut where the write stopped, and no empty ones.
 */
export function unwrittenAfter(buffers: readonly Uint8Array[], written: number): Uint8Array[] {
  const rest: Uint8Array[] = [];
  let skip = written;
  for (const buffer of buffers) {
    if (skip >= buffer.length) skip -= buffer.length;
    else {
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
  }
  return rest;
}
