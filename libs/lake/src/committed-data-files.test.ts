import * as fs from 'node:fs';
import * as path from 'node:path';
import { TableName } from '@engagement-db/canonical-model';
import { createMapper } from '@engagement-db/mapper';
import {
  conversationLines,
  duckdbRows,
  mixedEventLines,
  recordsOf,
  temporaryFolder,
  uncommit,
} from '../test/lake-test-kit';
import { adoptDataFiles } from './adopt-data-files';
import { CommittedDataFiles } from './committed-data-files';
import { ingest } from './ingest';
import { listIngests } from './ingest-manifest';

const mapper = createMapper();

describe('CommittedDataFiles', () => {
  let folder: { path: string; remove(): void };
  let lake: string;
  beforeEach(() => {
    folder = temporaryFolder();
    lake = folder.path;
  });
  afterEach(() => folder.remove());

  const ingestLines = (lines: readonly string[], table: TableName = TableName.events) =>
    ingest({ lake, table, mapper, records: recordsOf(lines), force: true });
  const relative = (file: string): string => path.relative(lake, file).split(path.sep).join('/');

  it('lists the data files of every committed ingest per table, in commit order', async () => {
    const first = await ingestLines(mixedEventLines().slice(0, 5));
    const conversations = await ingestLines(conversationLines(), TableName.conversations);
    const second = await ingestLines(mixedEventLines().slice(5, 9));

    const files = new CommittedDataFiles(lake).current();

    expect(files).toEqual({
      events: [...first.dataFiles, ...second.dataFiles].map(relative),
      conversations: conversations.dataFiles.map(relative),
    });
  });

  it('gives the same arrays while nothing is committed, and reads each manifest once', async () => {
    await ingestLines(mixedEventLines().slice(0, 5));
    const committed = new CommittedDataFiles(lake);
    const before = committed.current();
    const [manifest] = fs.readdirSync(path.join(lake, '_ingests'));
    const manifestFile = path.join(lake, '_ingests', manifest);
    const text = fs.readFileSync(manifestFile, 'utf8');
    fs.writeFileSync(manifestFile, text.replace(/"dataFiles": \[[^\]]*\]/, '"dataFiles": []'));

    const again = committed.current();
    const added = await ingestLines(mixedEventLines().slice(5, 7));
    const after = committed.current();

    expect(again).toBe(before);
    expect(after).not.toBe(before);
    expect(after.events).toEqual([...before.events, ...added.dataFiles.map(relative)]);
    expect(after.conversations).toEqual([]);
  });

  it('leaves out every file of an ingest whose commit is moving its files into place', async () => {
    const done = await ingestLines(mixedEventLines().slice(0, 3));
    const committing = await ingestLines(mixedEventLines());
    expect(committing.dataFiles.length).toBeGreaterThan(2);
    const moved = uncommit(lake, committing.ingestId, 2);
    const committed = new CommittedDataFiles(lake);

    const files = committed.current();
    const unlisted = committed.unlisted();

    expect(moved.every((file) => fs.existsSync(path.join(lake, file)))).toBe(true);
    expect(files.events).toEqual(done.dataFiles.map(relative));
    expect(unlisted).toEqual([]);
  });

  it('names the data files in the hour folders that no committed ingest lists', async () => {
    const [file] = (await ingestLines(mixedEventLines().slice(0, 1))).dataFiles;
    const copies = ['events/2025/01/08/23/copied.parquet', 'conversations/2025/01/09/00/from-s3.parquet'];
    const ignored = [
      'events/2025/01/08/23/_partial.parquet',
      'events/2025/01/08/23/.hidden.parquet',
      'events/old/x.parquet',
    ];
    for (const copy of [...copies, ...ignored]) {
      fs.mkdirSync(path.dirname(path.join(lake, copy)), { recursive: true });
      fs.copyFileSync(file, path.join(lake, copy));
    }

    const unlisted = new CommittedDataFiles(lake).unlisted();

    expect(unlisted).toEqual([
      { table: TableName.conversations, path: copies[1] },
      { table: TableName.events, path: copies[0] },
    ]);
  });

  it('names the files of a manifest that cannot be read, and reads none of them', async () => {
    const report = await ingestLines(mixedEventLines().slice(0, 3));
    fs.writeFileSync(path.join(lake, '_ingests', `${report.ingestId}.json`), '{ torn');
    const committed = new CommittedDataFiles(lake);

    expect(committed.current().events).toEqual([]);
    expect(committed.unlisted().map((file) => file.path)).toEqual(report.dataFiles.map(relative));
  });
});

describe('adoptDataFiles', () => {
  let folder: { path: string; remove(): void };
  let lake: string;
  beforeEach(() => {
    folder = temporaryFolder();
    lake = folder.path;
  });
  afterEach(() => folder.remove());

  async function copiedFile(name: string, sql: string): Promise<string> {
    const file = path.join(lake, 'events', '2025', '01', '08', '23', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await duckdbRows(`COPY (${sql}) TO '${file}' (FORMAT parquet)`);
    return `events/2025/01/08/23/${name}`;
  }

  async function sourceFile(): Promise<string> {
    const source = await ingest({
      lake,
      table: TableName.events,
      mapper,
      records: recordsOf(mixedEventLines()),
    });
    return source.dataFiles[0];
  }

  it('files one manifest listing the readable copied files of a table, with their rows by channel', async () => {
    const copied = await copiedFile('copied.parquet', `SELECT * FROM read_parquet('${await sourceFile()}')`);
    const counts = await duckdbRows(
      `SELECT channel, count(*)::INTEGER AS n FROM read_parquet('${path.join(lake, copied)}') GROUP BY 1`,
    );

    const report = await adoptDataFiles(lake);

    expect(report.refused).toEqual([]);
    expect(report.adopted).toEqual([
      expect.objectContaining({
        table: TableName.events,
        adopted: true,
        recordsRead: 0,
        dataFiles: [copied],
        rowsWritten: counts.reduce((sum, { n }) => sum + Number(n), 0),
        rowsByChannel: Object.fromEntries(counts.map(({ channel, n }) => [channel, n])),
      }),
    ]);
    expect(listIngests(lake).at(-1)).toEqual(report.adopted[0]);
    const committed = new CommittedDataFiles(lake);
    expect(committed.current().events).toContain(copied);
    expect(committed.unlisted()).toEqual([]);
    expect(await adoptDataFiles(lake)).toEqual({ adopted: [], refused: [] });
  });

  it('refuses files that are not Parquet or lack the columns of the table, saying why', async () => {
    const source = await sourceFile();
    const wrongColumns = await copiedFile(
      'lacking.parquet',
      `SELECT * EXCLUDE (rawevent) FROM read_parquet('${source}')`,
    );
    const wrongType = await copiedFile(
      'retyped.parquet',
      `SELECT * REPLACE (timestamp::VARCHAR AS timestamp) FROM read_parquet('${source}')`,
    );
    const text = 'events/2025/01/08/23/notes.parquet';
    fs.writeFileSync(path.join(lake, text), 'not parquet');

    const report = await adoptDataFiles(lake);

    expect(report.adopted).toEqual([]);
    expect(report.refused).toEqual([
      { table: 'events', path: wrongColumns, reason: 'it has no column rawevent' },
      { table: 'events', path: text, reason: expect.stringMatching(/^DuckDB cannot read it as Parquet \(/) },
      { table: 'events', path: wrongType, reason: 'its column timestamp is VARCHAR, expected BIGINT' },
    ]);
    expect(new CommittedDataFiles(lake).unlisted()).toHaveLength(3);
  });
});
