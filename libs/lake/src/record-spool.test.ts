import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMapper } from '@engagement-db/mapper';
import {
  countRows,
  duckdbRows,
  filesUnder,
  snapshotOf,
  temporaryFolder,
  unwritableFolder,
} from '../test/lake-test-kit';
import { numberOf, spoolRecordOf } from '../test/spool-records';
import { faultPoints } from './internal/fault-points';
import { listIngests } from './ingest-manifest';
import { RecordSpool, type SpoolFailure, spoolFolder } from './record-spool';

const mapper = createMapper();
const range = (first: number, count: number): number[] => Array.from({ length: count }, (_, i) => first + i);

async function messageNumbers(lake: string): Promise<number[]> {
  if (filesUnder(path.join(lake, 'conversations')).length === 0) return [];
  const rows = await duckdbRows(`SELECT messageid FROM read_parquet('${lake}/conversations/**/*.parquet')`);
  return rows.map((row) => numberOf(String(row.messageid))).sort((a, b) => a - b);
}

function segmentFiles(lake: string): string[] {
  return filesUnder(path.join(lake, spoolFolder, 'conversations'));
}

describe('RecordSpool', () => {
  let lake: ReturnType<typeof temporaryFolder>;
  let spool: RecordSpool | undefined;
  const open = async (): Promise<RecordSpool> =>
    (spool = await RecordSpool.open({ lake: lake.path, table: 'conversations', mapper }));
  beforeEach(() => {
    lake = temporaryFolder();
  });
  afterEach(async () => {
    for (const point of Object.keys(faultPoints)) delete faultPoints[point as keyof typeof faultPoints];
    await spool?.close();
    spool = undefined;
    lake.remove();
  });

  it('keeps what it acknowledged on the disk, and a spool opened later delivers it', async () => {
    const first = await open();
    await first.append(range(1, 6).map(spoolRecordOf));
    const written = segmentFiles(lake.path);
    await first.close();

    const second = await open();
    const delivered = await second.deliver();

    expect(written).toEqual([
      expect.stringMatching(/^\d{8}T\d{9}Z-p\d+-[0-9a-f]{6}-000001\.p\d+-[0-9a-f]{6}\.spool$/),
    ]);
    expect(second.pendingRecords).toBe(0);
    expect(delivered?.records).toBe(6);
    expect(await messageNumbers(lake.path)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(segmentFiles(lake.path)).toEqual([]);
  });

  it('delivers one ingest naming its segments, and reports failures with their record ids and exact bytes', async () => {
    const running = await open();
    await running.append(range(1, 10).map(spoolRecordOf));
    await running.append([
      { ...spoolRecordOf(11), recordId: 'bad-bytes', data: Buffer.from([0x7b, 0xff, 0x7d]) },
    ]);
    const failures: SpoolFailure[] = [];

    const delivered = await running.deliver((failure) => failures.push(failure));

    expect(delivered?.records).toBe(11);
    expect(delivered?.ingest).toMatchObject({ recordsRead: 11, rowsWritten: 9, failures: 2 });
    expect(failures.map(({ recordId, origin, line, error }) => [recordId, origin, line, error.kind])).toEqual(
      [
        ['r7', 'conversations', 7, 'unparseable-json'],
        ['bad-bytes', 'conversations', 11, 'unparseable-json'],
      ],
    );
    const [manifest] = listIngests(lake.path);
    expect(manifest.spoolSegments).toHaveLength(1);
    const stored = fs
      .readFileSync(delivered?.ingest.errorFiles[0] as string, 'utf8')
      .trim()
      .split('\n')
      .map((line) => Buffer.from(JSON.parse(line).rawData, 'base64'));
    expect(stored).toEqual([spoolRecordOf(7).data, Buffer.from([0x7b, 0xff, 0x7d])]);
    expect(await running.deliver()).toBeUndefined();
  });

  it('shares one write and one fsync among the appends that arrive together (group commit)', async () => {
    const running = await open();
    let writes = 0;
    faultPoints.beforeSpoolWrite = () => {
      writes += 1;
    };

    await Promise.all(range(1, 50).map((n) => running.append([spoolRecordOf(n)])));
    await running.deliver();

    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThan(50);
    expect(await messageNumbers(lake.path)).toEqual(range(1, 50).filter((n) => n % 7 !== 0));
  });

  it('splits a record into the records it holds, and delivers a blank record as an empty-record failure', async () => {
    const lines = [spoolRecordOf(1).data, spoolRecordOf(2).data];
    const running = (spool = await RecordSpool.open({
      lake: lake.path,
      table: 'conversations',
      mapper,
      origin: 'engagementdb-conversations',
      split: (data) =>
        data.length > 3
          ? Buffer.from(data)
              .toString()
              .split('\n')
              .map((line) => Buffer.from(line))
          : [],
    }));
    await running.append([
      { recordId: 'two-lines', data: Buffer.from(lines.join('\n')), arrivalTimestamp: 1 },
      { recordId: 'blank', data: Buffer.from('  '), arrivalTimestamp: 1 },
    ]);
    const failures: string[] = [];

    const delivered = await running.deliver(({ recordId, origin, line, error }) =>
      failures.push(`${origin}:${line} ${recordId}: ${error.message}`),
    );

    expect(delivered?.ingest).toMatchObject({ recordsRead: 3, rowsWritten: 2, failures: 1 });
    expect(failures).toEqual([
      'engagementdb-conversations:3 blank: the record is empty or only whitespace; expected one JSON document',
    ]);
  });

  it('ignores a torn frame a crash left at the end of a segment', async () => {
    const first = await open();
    await first.append(range(1, 3).map(spoolRecordOf));
    await first.close();
    const [segment] = segmentFiles(lake.path);
    const file = path.join(lake.path, spoolFolder, 'conversations', segment);
    const frame = fs.readFileSync(file).subarray(-40);
    fs.appendFileSync(file, frame.subarray(0, 25)); // a frame cut short: its length promises more

    const second = await open();
    await second.deliver();

    expect(await messageNumbers(lake.path)).toEqual([1, 2, 3]);
  });

  it('keeps every record when a delivery fails, and delivers each once when it works again', async () => {
    const running = await open();
    await running.append(range(1, 8).map(spoolRecordOf));
    faultPoints.beforeCommit = () => {
      throw new Error('the disk went away');
    };

    const failed = running.deliver();

    await expect(failed).rejects.toThrow('the disk went away');
    expect(running.pendingRecords).toBe(8);
    delete faultPoints.beforeCommit;
    await running.append([spoolRecordOf(9)]);
    await running.deliver();
    expect(await messageNumbers(lake.path)).toEqual(range(1, 9).filter((n) => n % 7 !== 0));
    expect(running.pendingRecords).toBe(0);
  });

  it('does not deliver again a segment that a stopped process delivered but could not remove', async () => {
    const running = await open();
    await running.append(range(1, 5).map(spoolRecordOf));
    await running.close();
    const [name] = segmentFiles(lake.path);
    const folder = path.join(lake.path, spoolFolder, 'conversations');
    const copy = fs.readFileSync(path.join(folder, name));
    const again = await open();
    await again.deliver();
    await again.close();
    // The same segment again, owned by a process that has ended, as if it died before removing it.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid as number;
    fs.writeFileSync(path.join(folder, name.replace(/\.p\d+-/, `.p${deadPid}-`)), copy);

    const third = await open();
    const delivered = await third.deliver();

    expect(delivered).toBeUndefined();
    expect(await messageNumbers(lake.path)).toEqual([1, 2, 3, 4, 5]);
    expect(segmentFiles(lake.path)).toEqual([]);
    expect(listIngests(lake.path)).toHaveLength(1);
  });

  it('leaves alone the segments of a spool still open in this process', async () => {
    const first = await open();
    await first.append(range(1, 2).map(spoolRecordOf));

    const second = await RecordSpool.open({ lake: lake.path, table: 'conversations', mapper });

    expect(second.pendingRecords).toBe(0);
    await second.close();
    expect(first.pendingRecords).toBe(2);
  });

  it('refuses an append with a one-line LakeDirectoryError when the disk is full, keeping only what it accepted', async () => {
    const folder = unwritableFolder('full');
    try {
      const running = (spool = await RecordSpool.open({
        lake: folder.path,
        table: 'conversations',
        mapper,
      }));
      folder.seal();
      const big = (n: number) => ({ ...spoolRecordOf(n), data: Buffer.alloc(700_000, 0x20) });
      let refusal: Error | undefined;
      let accepted = 0;
      for (let n = 1; n <= 10 && !refusal; n += 1) {
        await running.append([big(n)]).then(
          () => (accepted += 1),
          (error: Error) => (refusal = error),
        );
      }

      expect(refusal?.name).toBe('LakeDirectoryError');
      expect(refusal?.message).toMatch(
        new RegExp(
          `^Cannot write ${folder.path}/_spool/conversations/\\S+\\.spool: no space left on device \\(ENOSPC\\); ` +
            'free some space or choose another lake with --lake\\. The records were not accepted\\.$',
        ),
      );
      expect(running.pendingRecords).toBe(accepted);
      process.stdout.write(`full spool (${folder.how}): ${refusal?.message}\n`);
    } finally {
      await spool?.close();
      spool = undefined;
      folder.remove();
    }
  });

  it('refuses to open on a read-only lake with a one-line LakeDirectoryError, leaving it unchanged', async () => {
    const folder = unwritableFolder('read-only');
    try {
      const first = await RecordSpool.open({ lake: folder.path, table: 'conversations', mapper });
      await first.close();
      const before = snapshotOf(folder.path);
      folder.seal();

      const opening = RecordSpool.open({ lake: folder.path, table: 'conversations', mapper });

      await expect(opening).rejects.toMatchObject({
        name: 'LakeDirectoryError',
        message: expect.stringMatching(
          new RegExp(
            `^Cannot write ${folder.path}/_spool/conversations/\\.probe-\\S+: (read-only file system \\(EROFS\\)|permission denied \\(EACCES\\)); `,
          ),
        ),
      });
      expect(snapshotOf(folder.path)).toEqual(before);
    } finally {
      folder.remove();
    }
  });

  it('lands nothing twice and loses nothing over several deliveries while appends go on', async () => {
    const running = await open();
    const appends = range(0, 20).map(async (k) => {
      await new Promise((resolve) => setTimeout(resolve, k * 3));
      await running.append(range(k * 10 + 1, 10).map(spoolRecordOf));
    });
    const deliveries = range(0, 5).map(async (k) => {
      await new Promise((resolve) => setTimeout(resolve, k * 15));
      await running.deliver();
    });

    await Promise.all([...appends, ...deliveries]);
    await running.deliver();

    expect(await messageNumbers(lake.path)).toEqual(range(1, 200).filter((n) => n % 7 !== 0));
    expect(await countRows(lake.path, 'conversations')).toBe(200 - Math.floor(200 / 7));
  });
});
