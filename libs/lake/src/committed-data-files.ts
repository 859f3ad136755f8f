import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TableName, canonicalTables } from '@engagement-db/canonical-model';
import { type IngestManifest, readManifest } from './ingest-manifest';
import { ingestsFolder, stagingFolder } from './internal/lake-layout';

/**
 * The data files of each table, as lake-relative `/`-separated paths (`events/2025/03/14/15/part-….parquet`).
 *
 * @example const files: DataFileSnapshot = committed.current(); files.events.length
 */
export type DataFileSnapshot = Readonly<Record<TableName, readonly string[]>>;

/**
 * A data file in a table's hour folders that no committed ingest lists.
 *
 * @example `${file.table}: ${file.path}` // 'events: events/2025/01/08/23/copied.parquet'
 */
export interface UnlistedDataFile {
  readonly table: TableName;
  /** Lake-relative, `/`-separated. */
  readonly path: string;
}

const tables = Object.values(canonicalTables);
const hourFolderNames = [/^\d{4}$/, /^\d{2}$/, /^\d{2}$/, /^\d{2}$/];

/**
 * What a reader of the lake may see: the data files of the ingests that are committed, as their
 * manifests in `_ingests/` list them. A manifest is filed only once every file of its ingest is in
 * place, so a reader that reads exactly these files sees each ingest whole or not at all, whatever
 * is being committed meanwhile (an ingest moves its files into place one by one).
 *
 * Manifests never change once filed, so each is read once: `current()` lists `_ingests/` and reads
 * only the manifests it has not seen, and gives the same arrays again while nothing new is committed.
 *
 * @example
 * const committed = new CommittedDataFiles('./engagement-lake');
 * const engine = await openQueryEngine({ lake, dataFiles: () => committed.current() });
 */
export class CommittedDataFiles {
  // Parsed manifests by file name; undefined for a file that is no manifest.
  private readonly manifests = new Map<string, IngestManifest | undefined>();
  private snapshot: DataFileSnapshot = emptySnapshot();
  private listed: ReadonlySet<string> | undefined;

  constructor(readonly lake: string) {}

  /** The data files of every ingest committed now, in the order the ingests were committed. */
  current(): DataFileSnapshot {
    const names = manifestNames(this.lake);
    let changed = names.length !== this.manifests.size;
    for (const name of names) {
      if (this.manifests.has(name)) continue;
      this.manifests.set(name, readManifest(path.join(this.lake, ingestsFolder, name)));
      changed = true;
    }
    if (changed) {
      const present = new Set(names);
      for (const name of this.manifests.keys()) if (!present.has(name)) this.manifests.delete(name);
      this.snapshot = snapshotOf(names.map((name) => this.manifests.get(name)));
      this.listed = undefined;
    }
    return this.snapshot;
  }

  /**
   * The data files in the tables' hour folders (`<table>/YYYY/MM/DD/HH/*.parquet`, names not starting
   * with `_` or `.`) that no committed ingest lists and no ingest being committed will: files copied
   * into the lake by hand, or listed only by a manifest that cannot be read. Readers of
   * {@link current} do not see them; `adoptDataFiles` makes them part of the lake. Walks the hour
   * folders, as a glob of them would.
   */
  unlisted(): UnlistedDataFile[] {
    let candidates = dataFilesInFolders(this.lake).filter((file) => !this.isListed(file.path));
    if (candidates.length === 0) return [];
    // Files of an ingest being committed are in place before its manifest is: they are the
    // files of a staged ingest, or (once it is done) of a manifest filed since the listing above.
    const staged = stagedIngestIds(this.lake);
    candidates = candidates.filter(
      (file) => !staged.some((id) => path.posix.basename(file.path).startsWith(`part-${id}-`)),
    );
    return candidates.filter((file) => !this.isListed(file.path));
  }

  private isListed(file: string): boolean {
    const snapshot = this.current();
    this.listed ??= new Set(Object.values(snapshot).flat());
    return this.listed.has(file);
  }
}

function emptySnapshot(): DataFileSnapshot {
  return Object.fromEntries(tables.map((table) => [table.name, []])) as unknown as DataFileSnapshot;
}

function snapshotOf(manifests: readonly (IngestManifest | undefined)[]): DataFileSnapshot {
  const files: Record<string, string[]> = Object.fromEntries(tables.map((table) => [table.name, []]));
  for (const manifest of manifests) if (manifest) files[manifest.table].push(...manifest.dataFiles);
  return files as unknown as DataFileSnapshot;
}

/** The manifest files of a lake, in commit order (their names start with the ingest's time). */
export function manifestNames(lake: string): string[] {
  try {
    return fs
      .readdirSync(path.join(lake, ingestsFolder))
      .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
      .sort();
  } catch {
    return [];
  }
}

function stagedIngestIds(lake: string): string[] {
  try {
    return fs.readdirSync(path.join(lake, stagingFolder));
  } catch {
    return [];
  }
}

function dataFilesInFolders(lake: string): UnlistedDataFile[] {
  const found: UnlistedDataFile[] = [];
  const walk = (relative: string[], depth: number, table: TableName): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(lake, ...relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (depth < hourFolderNames.length) {
        if (entry.isDirectory() && hourFolderNames[depth].test(entry.name))
          walk([...relative, entry.name], depth + 1, table);
      } else if (entry.isFile() && entry.name.endsWith('.parquet') && !/^[._]/.test(entry.name)) {
        found.push({ table, path: [...relative, entry.name].join('/') });
      }
    }
  };
  for (const table of tables) walk([table.prefix], 0, table.name);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
