import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesUnder, temporaryFolder } from '../test/lake-test-kit';
import { newIngestId } from './internal/ingest-id';
import { recoverLake } from './recover-lake';

/** A process id that has certainly ended: a child that ran and exited. */
function deadPid(): number {
  const finished = spawnSync(process.execPath, ['-e', '']);
  return finished.pid as number;
}

function stage(lake: string, id: string, files: Record<string, string>, intent?: object): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(lake, '_staging', id, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  if (intent) fs.writeFileSync(path.join(lake, '_staging', id, '_commit.json'), JSON.stringify(intent));
}

function manifestOf(id: string, dataFiles: string[], errorFiles: string[] = []): object {
  return {
    ingestId: id,
    table: 'events',
    startedAt: '2025-03-14T10:00:00.000Z',
    committedAt: '2025-03-14T10:00:01.000Z',
    inputHash: 'sha256:00',
    recordsRead: 1,
    bytesRead: 1,
    rowsWritten: 1,
    rowsByChannel: { email: 1 },
    failures: 0,
    dataFiles,
    errorFiles,
    forced: false,
  };
}

describe('recoverLake', () => {
  let lake: ReturnType<typeof temporaryFolder>;
  beforeEach(() => {
    lake = temporaryFolder();
  });
  afterEach(() => lake.remove());

  it('moves the rest of the files into place when a dead ingest had written its commit intent', () => {
    const id = newIngestId(new Date(), deadPid());
    const files = [
      'events/2025/03/14/09/part-a.parquet',
      'events/2025/03/14/10/part-b.parquet',
      'errors/events/2025/03/14/10/part-c.jsonl',
    ];
    stage(
      lake.path,
      id,
      { [files[1]]: 'b', [files[2]]: 'c' },
      manifestOf(id, files.slice(0, 2), files.slice(2)),
    );
    fs.mkdirSync(path.join(lake.path, 'events/2025/03/14/09'), { recursive: true });
    fs.writeFileSync(path.join(lake.path, files[0]), 'a'); // moved before the crash

    const recovery = recoverLake(lake.path);

    expect(recovery).toEqual({ rolledForward: [id], rolledBack: [] });
    expect(filesUnder(lake.path)).toEqual(
      [`_ingests/${id}.json`, ...files.slice(2), ...files.slice(0, 2)].sort(),
    );
  });

  it('removes the staging folder of a dead ingest that never wrote its commit intent', () => {
    const id = newIngestId(new Date(), deadPid());
    stage(lake.path, id, { 'events/2025/03/14/09/part-a.parquet': 'a', '_spool/chunk-0.jsonl': '{}' });

    const recovery = recoverLake(lake.path);

    expect(recovery).toEqual({ rolledForward: [], rolledBack: [id] });
    expect(filesUnder(lake.path)).toEqual([]);
  });

  it('leaves alone the staging folder of an ingest whose process still runs', () => {
    const id = newIngestId(new Date(), process.pid);
    stage(lake.path, id, { 'events/2025/03/14/09/part-a.parquet': 'a' });

    const recovery = recoverLake(lake.path);

    expect(recovery).toEqual({ rolledForward: [], rolledBack: [] });
    expect(filesUnder(lake.path)).toEqual([`_staging/${id}/events/2025/03/14/09/part-a.parquet`]);
  });

  it('rolls back a staging folder whose name is no ingest id', () => {
    stage(lake.path, 'leftover', { 'x.parquet': 'x' });

    expect(recoverLake(lake.path)).toEqual({ rolledForward: [], rolledBack: ['leftover'] });
  });

  it('does nothing when the lake has never been written', () => {
    expect(recoverLake(path.join(lake.path, 'missing'))).toEqual({ rolledForward: [], rolledBack: [] });
  });
});
