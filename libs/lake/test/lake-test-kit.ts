import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TableName } from '@engagement-db/canonical-model';
import { loadCorpus, loadMixedEvents } from '@engagement-db/corpus';
import { faultPoints } from '../src/internal/fault-points';
import type { RawRecord } from '../src/raw-record';

/** A fresh lake folder under the system temp folder; `remove` deletes it. */
export function temporaryFolder(prefix = 'engagement-lake-'): { path: string; remove(): void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** The well-formed raw events of the corpus, one compact JSON line each. */
export function mixedEventLines(): string[] {
  return loadMixedEvents();
}

/** `count` raw events: the corpus repeated, each copy made distinct by a `copy` field. */
export function distinctEventLines(count: number): string[] {
  const lines = mixedEventLines();
  return Array.from({ length: count }, (_, i) => {
    const record = JSON.parse(lines[i % lines.length]) as Record<string, unknown>;
    return JSON.stringify({ ...record, copy: i });
  });
}

/** The well-formed chatbot conversation records of the corpus, one compact JSON line each. */
export function conversationLines(): string[] {
  return loadCorpus()
    .filter((record) => record.table === TableName.conversations && record.expected !== null)
    .map((record) => JSON.stringify(JSON.parse(record.rawText)));
}

/** Lines as the raw records of one input file. */
export async function* recordsOf(
  lines: readonly string[],
  origin = 'input.jsonl',
): AsyncGenerator<RawRecord> {
  for (let i = 0; i < lines.length; i += 1) yield { text: lines[i], origin, line: i + 1 };
}

/** Every file under a folder, as `/`-separated paths relative to it, sorted. */
export function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** Runs SQL on an in-memory DuckDB and returns the rows as JSON-able objects. */
export async function duckdbRows(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The number of rows in a table's Parquet files, read the way queries read the lake. */
export async function countRows(lake: string, prefix: string): Promise<number> {
  if (filesUnder(path.join(lake, prefix)).length === 0) return 0;
  const [row] = await duckdbRows(
    `SELECT count(*) AS n FROM read_parquet('${path.join(lake, prefix)}/*/*/*/*/*.parquet')`,
  );
  return Number(row.n);
}

/**
 * A folder whose file system cannot take what the lake writes: `full` (2 MiB) or `read-only`. As
 * root it is a real tmpfs (mounted, and remounted read-only by `seal`); otherwise a read-only folder
 * is a folder without write permission, and a full disk is an ENOSPC injected at the lake's write
 * seam. `how` says which, for the test's name and report.
 */
export interface UnwritableFolder {
  readonly path: string;
  how: string;
  /** Makes the folder unwritable (read-only) or arms the injected full disk; call it after setting up a lake. */
  seal(): void;
  remove(): void;
}

export function unwritableFolder(kind: 'full' | 'read-only'): UnwritableFolder {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `engagement-${kind}-`));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', folder]).status === 0;
  const removeFolder = (): void => {
    if (mounted) spawnSync('umount', ['-l', folder]);
    else spawnSync('chmod', ['-R', 'u+w', folder]);
    fs.rmSync(folder, { recursive: true, force: true });
  };
  if (kind === 'full') {
    return {
      path: folder,
      how: mounted ? 'a 2 MiB tmpfs' : 'ENOSPC injected at the write seam',
      seal: () => {
        if (mounted) return;
        faultPoints.beforeWrite = (target) => {
          if (target.startsWith(folder))
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        };
      },
      remove: () => {
        delete faultPoints.beforeWrite;
        removeFolder();
      },
    };
  }
  const readOnly = {
    path: folder,
    how: mounted ? 'a tmpfs remounted read-only' : 'a folder without write permission',
    seal: () => {
      if (mounted) spawnSync('mount', ['-o', 'remount,ro', folder]);
      else spawnSync('chmod', ['-R', 'a-w', folder]);
      if (isWritable(folder)) {
        // Root ignores permissions: where it may not mount either, the file system's answer is injected.
        readOnly.how = 'EROFS injected at the write seam';
        faultPoints.beforeWrite = (target) => {
          if (target.startsWith(folder)) {
            throw Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' });
          }
        };
      }
    },
    remove: () => {
      delete faultPoints.beforeWrite;
      removeFolder();
    },
  };
  return readOnly;
}

function isWritable(folder: string): boolean {
  const probe = path.join(folder, '.write-probe');
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** Every file under a folder with the sha256 of its content: what "unchanged" is compared by. */
export function snapshotOf(folder: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(folder).map((file) => [
      file,
      createHash('sha256')
        .update(fs.readFileSync(path.join(folder, file)))
        .digest('hex'),
    ]),
  );
}

/**
 * Puts a committed ingest back in the state of a commit stopped while moving its files into place:
 * the manifest back in its staging folder as the commit intent, the files after the first `moved`
 * back in staging. What a reader sees of the lake then is what it would see during that commit.
 */
export function uncommit(lake: string, ingestId: string, moved: number): string[] {
  const manifestFile = path.join(lake, '_ingests', `${ingestId}.json`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { dataFiles: string[] };
  const staging = path.join(lake, '_staging', ingestId);
  fs.mkdirSync(staging, { recursive: true });
  fs.renameSync(manifestFile, path.join(staging, '_commit.json'));
  for (const relative of manifest.dataFiles.slice(moved)) {
    const staged = path.join(staging, ...relative.split('/'));
    fs.mkdirSync(path.dirname(staged), { recursive: true });
    fs.renameSync(path.join(lake, ...relative.split('/')), staged);
  }
  return manifest.dataFiles.slice(0, moved);
}
