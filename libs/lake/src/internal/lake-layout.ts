import * as fs from 'node:fs';
import * as path from 'node:path';
import { LakeDirectoryError } from '../errors';
import { makeFolder } from './durable-files';

/** Folders of the lake that queries never read: their names start with `_`. */
export const stagingFolder = '_staging';
export const ingestsFolder = '_ingests';
/** The commit intent of a staged ingest: the manifest, written before any file is moved into place. */
export const commitIntentFile = '_commit.json';

/** Makes sure the lake and its bookkeeping folders exist; throws LakeDirectoryError when it cannot. */
export function prepareLake(lake: string): void {
  try {
    const stat = fs.statSync(lake, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) {
      throw new LakeDirectoryError(
        `Lake ${lake} is a file, expected a folder. Pass --lake (or set ENGAGEMENT_DB_LAKE) to a folder path.`,
      );
    }
    makeFolder(path.join(lake, stagingFolder));
    makeFolder(path.join(lake, ingestsFolder));
  } catch (error) {
    if (error instanceof LakeDirectoryError) throw error;
    throw new LakeDirectoryError(
      `Cannot prepare lake folder ${lake}: ${(error as Error).message}. Expected a writable folder; check its permissions or choose another with --lake.`,
      { cause: error },
    );
  }
}

/** A lake-relative path with `/` separators, as manifests store them. */
export function toLakeRelative(...segments: string[]): string {
  return segments.join('/');
}

/** The absolute path of a lake-relative path. */
export function fromLakeRelative(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}
