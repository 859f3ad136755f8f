import * as fs from 'node:fs';
import * as path from 'node:path';
import { type IngestManifest, readManifest } from '../ingest-manifest';
import {
  makeFolder,
  syncDirectory,
  syncDirectoryAsync,
  syncFileAsync,
  writeFileAtomicallyAsync,
} from './durable-files';
import { commitIntentFile, fromLakeRelative, ingestsFolder, stagingFolder } from './lake-layout';
import { writingTo } from './storage-error';

/**
 * The private folder of one ingest, `LAKE/_staging/<ingestId>/`, laid out like the lake itself.
 * Nothing in it is visible to queries until `commit` moves it into place.
 */
export class StagedIngest {
  readonly directory: string;

  private constructor(
    readonly lake: string,
    readonly ingestId: string,
  ) {
    this.directory = path.join(lake, stagingFolder, ingestId);
  }

  static begin(lake: string, ingestId: string): StagedIngest {
    const staged = new StagedIngest(lake, ingestId);
    writingTo(staged.directory, () => makeFolder(staged.directory));
    return staged;
  }

  /** The staged path of a lake-relative path. */
  pathOf(relative: string): string {
    return fromLakeRelative(this.directory, relative);
  }

  /**
   * Makes the ingest durable and visible: flushes every staged file, records the commit intent,
   * then moves the files into place and files the manifest under `_ingests/`. Call it holding the
   * lake lock: recovery finishes a commit intent only under that lock. The flushes run off the
   * event loop, so a server that commits goes on answering.
   */
  async commit(manifest: IngestManifest): Promise<void> {
    await Promise.all(
      [...manifest.dataFiles, ...manifest.errorFiles].map((relative) => syncFileAsync(this.pathOf(relative))),
    );
    await writeFileAtomicallyAsync(
      path.join(this.directory, commitIntentFile),
      JSON.stringify(manifest, null, 2) + '\n',
    );
    await Promise.all(moveStagedFiles(this.lake, this.ingestId, manifest).map(syncDirectoryAsync));
    const ingests = fileManifest(this.lake, this.ingestId);
    await syncDirectoryAsync(ingests);
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  /**
   * Throws the staged files away; the lake is as it was before the ingest began. Once the commit
   * intent is written the ingest is committed: a commit that failed after it (a rename refused) is
   * left for recovery to finish, never half undone.
   */
  async abandon(): Promise<void> {
    if (fs.existsSync(path.join(this.directory, commitIntentFile))) return;
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }
}

/**
 * Finishes a staged ingest whose commit intent is written: moves every file still staged into
 * place (files already moved by an interrupted run are skipped), then files the manifest.
 * Safe to run again after a crash at any point.
 */
export function rollForward(lake: string, ingestId: string, manifest: IngestManifest): void {
  for (const folder of moveStagedFiles(lake, ingestId, manifest)) syncDirectory(folder);
  syncDirectory(fileManifest(lake, ingestId));
  fs.rmSync(path.join(lake, stagingFolder, ingestId), { recursive: true, force: true });
}

/** Moves the staged files still in staging into place; returns the folders whose entries changed. */
function moveStagedFiles(lake: string, ingestId: string, manifest: IngestManifest): string[] {
  const staging = path.join(lake, stagingFolder, ingestId);
  const touched = new Set<string>();
  for (const relative of [...manifest.dataFiles, ...manifest.errorFiles]) {
    const from = fromLakeRelative(staging, relative);
    const to = fromLakeRelative(lake, relative);
    if (!fs.existsSync(from)) continue;
    makeFolder(path.dirname(to));
    fs.renameSync(from, to);
    for (let folder = path.dirname(to); folder.length > lake.length; folder = path.dirname(folder))
      touched.add(folder);
  }
  return [...touched];
}

/** Moves the commit intent to `_ingests/<ingestId>.json`, if still staged; returns `_ingests/`. */
function fileManifest(lake: string, ingestId: string): string {
  const ingests = path.join(lake, ingestsFolder);
  makeFolder(ingests);
  const intent = path.join(lake, stagingFolder, ingestId, commitIntentFile);
  if (fs.existsSync(intent)) fs.renameSync(intent, path.join(ingests, `${ingestId}.json`));
  return ingests;
}

/** The commit intent of a staging folder, or undefined when the ingest never reached its commit. */
export function readCommitIntent(stagingDirectory: string): IngestManifest | undefined {
  return readManifest(path.join(stagingDirectory, commitIntentFile));
}
