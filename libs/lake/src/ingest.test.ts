import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  conversationTable,
  duckdbColumnsOf,
  eventTable,
  partitionPathOf,
} from '@engagement-db/canonical-model';
import { createMapper } from '@engagement-db/mapper';
import {
  conversationLines,
  countRows,
  duckdbRows,
  filesUnder,
  mixedEventLines,
  recordsOf,
  temporaryFolder,
} from '../test/lake-test-kit';
import { ingest } from './ingest';
import { listIngests } from './ingest-manifest';

const mapper = createMapper();

describe('ingest', () => {
  let lake: ReturnType<typeof temporaryFolder>;
  beforeEach(() => {
    lake = temporaryFolder();
  });
  afterEach(() => lake.remove());

  it('writes one Parquet file per event hour under events/YYYY/MM/DD/HH when given the fixture corpus', async () => {
    const lines = mixedEventLines();
    const expectedRows = lines.flatMap((line) => {
      const result = mapper.map('events', line);
      return result.ok ? result.value : [];
    });
    const expectedHours = [...new Set(expectedRows.map((row) => partitionPathOf(row.timestamp)))].sort();

    const report = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    expect(report.recordsRead).toBe(lines.length);
    expect(report.rowsWritten).toBe(expectedRows.length);
    expect(report.failures).toBe(0);
    const dataFiles = filesUnder(path.join(lake.path, 'events'));
    expect(dataFiles.map((file) => path.posix.dirname(file))).toEqual(expectedHours);
    expect(dataFiles.every((file) => /^\d{4}\/\d{2}\/\d{2}\/\d{2}\/part-[^/]+\.parquet$/.test(file))).toBe(
      true,
    );
    expect(
      report.dataFiles
        .map((file) => path.relative(path.join(lake.path, 'events'), file).split(path.sep).join('/'))
        .sort(),
    ).toEqual(dataFiles);
  });

  it('stores exactly the rows the mapper made, each in the hour of its own timestamp', async () => {
    const lines = mixedEventLines();
    const expected = lines.flatMap((line) => {
      const result = mapper.map('events', line);
      return result.ok ? result.value : [];
    });

    await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    const stored = await duckdbRows(
      `SELECT *, filename FROM read_parquet('${lake.path}/events/*/*/*/*/*.parquet', filename = true) ORDER BY eventid`,
    );
    const byId = [...expected].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    expect(stored).toHaveLength(byId.length);
    stored.forEach((row, i) => {
      const want = byId[i];
      expect(row).toMatchObject({
        eventid: want.eventId,
        channel: want.channel,
        messageid: want.messageId,
        timestamp: String(want.timestamp),
        destinationaddress: want.destinationAddress,
        rawevent: want.rawEvent,
      });
      const tags = Object.fromEntries(
        ((row.tags as { key: string; value: string }[] | null) ?? []).map((e) => [e.key, e.value]),
      );
      expect(tags).toEqual(want.tags ?? {});
      expect(String(row.filename)).toContain(
        `${path.sep}events${path.sep}${partitionPathOf(want.timestamp).split('/').join(path.sep)}${path.sep}`,
      );
    });
  });

  it.each([
    ['events', eventTable, mixedEventLines],
    ['conversations', conversationTable, conversationLines],
  ] as const)('writes the %s columns with the types duckdbColumnsOf gives', async (name, table, lines) => {
    await ingest({ lake: lake.path, table: name, mapper, records: recordsOf(lines()) });

    const described = await duckdbRows(
      `DESCRIBE SELECT * FROM read_parquet('${lake.path}/${table.prefix}/*/*/*/*/*.parquet')`,
    );
    expect(described.map((c) => ({ name: c.column_name, type: c.column_type }))).toEqual(
      duckdbColumnsOf(table).map((c) => ({ name: c.name, type: c.type })),
    );
  });

  it('compresses with zstd in row groups when writing Parquet', async () => {
    await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(mixedEventLines()) });

    const codecs = await duckdbRows(
      `SELECT DISTINCT compression FROM parquet_metadata('${lake.path}/events/*/*/*/*/*.parquet')`,
    );
    expect(codecs.map((c) => c.compression)).toEqual(['ZSTD']);
  });

  it('keeps refused records in errors/<table>/ by arrival hour in the Firehose failure shape, with the field path', async () => {
    const good = mixedEventLines()[0];
    const arrival = Date.UTC(2025, 2, 14, 9, 30);
    const records = [
      { text: good, origin: 'day.jsonl', line: 1, arrivalTimestamp: arrival },
      { text: '{"not": "closed"', origin: 'day.jsonl', line: 2, arrivalTimestamp: arrival },
      { text: '{"hello":"world"}', origin: 'day.jsonl', line: 3, arrivalTimestamp: arrival },
      {
        text: '{"Type":"Notification","Message":"not json"}',
        origin: 'day.jsonl',
        line: 4,
        arrivalTimestamp: arrival,
      },
    ];
    const reported: string[] = [];

    const report = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: (async function* () {
        yield* records;
      })(),
      onFailure: ({ origin, line, error }) => reported.push(`${origin}:${line}:${error.kind}`),
    });

    expect(report.failures).toBe(3);
    expect(reported).toEqual([
      'day.jsonl:2:unparseable-json',
      'day.jsonl:3:unknown-source',
      'day.jsonl:4:invalid-record',
    ]);
    const errorFiles = filesUnder(path.join(lake.path, 'errors'));
    expect(errorFiles).toEqual([`events/2025/03/14/09/part-${report.ingestId}.jsonl`]);
    expect(report.errorFiles).toEqual([path.join(lake.path, 'errors', ...errorFiles[0].split('/'))]);
    const failures = fs
      .readFileSync(report.errorFiles[0], 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(failures).toHaveLength(3);
    expect(failures[0]).toEqual({
      attemptsMade: 1,
      arrivalTimestamp: arrival,
      errorCode: 'unparseable-json',
      errorMessage: expect.any(String),
      attemptEndingTimestamp: expect.any(Number),
      rawData: Buffer.from(records[1].text).toString('base64'),
      origin: 'day.jsonl',
      line: 2,
    });
    expect(Buffer.from(failures[1].rawData, 'base64').toString('utf8')).toBe(records[2].text);
    expect(failures[1].errorPath).toBe('$');
    expect(failures[2]).toMatchObject({ errorCode: 'invalid-record', errorPath: '$.Message', line: 4 });
  });

  it('skips input identical to an earlier ingest and names that ingest', async () => {
    const lines = mixedEventLines();
    const first = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf(lines, 'a.jsonl'),
    });

    const second = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf(lines, 'copy.jsonl'),
    });

    expect(second.skippedAsDuplicateOf).toBe(first.ingestId);
    expect(second.duplicateCommittedAt).toBe(listIngests(lake.path)[0].committedAt);
    expect(second.rowsWritten).toBe(0);
    expect(await countRows(lake.path, 'events')).toBe(first.rowsWritten);
    expect(listIngests(lake.path)).toHaveLength(1);
    expect(fs.readdirSync(path.join(lake.path, '_staging'))).toEqual([]);
  });

  it('recognises input ingested before, in a manifest that names the table `stream`', async () => {
    const lines = mixedEventLines();
    const first = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });
    const manifestFile = path.join(lake.path, '_ingests', `${first.ingestId}.json`);
    const { table, ...manifest } = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<
      string,
      unknown
    >;
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, stream: table }));

    const second = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    expect(second.skippedAsDuplicateOf).toBe(first.ingestId);
    expect(listIngests(lake.path).map((m) => m.table)).toEqual(['events']);
  });

  it.each([
    ['force: true', { force: true }],
    ['deduplicate: false', { deduplicate: false }],
  ])('ingests identical input again when given %s', async (_name, extra) => {
    const lines = mixedEventLines();
    const first = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    const again = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf(lines),
      ...extra,
    });

    expect(again.skippedAsDuplicateOf).toBeUndefined();
    expect(again.rowsWritten).toBe(first.rowsWritten);
    expect(await countRows(lake.path, 'events')).toBe(2 * first.rowsWritten);
  });

  it('does not treat the same input on the other table as a duplicate', async () => {
    const lines = conversationLines();
    await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    const report = await ingest({
      lake: lake.path,
      table: 'conversations',
      mapper,
      records: recordsOf(lines),
    });

    expect(report.skippedAsDuplicateOf).toBeUndefined();
    expect(report.rowsWritten).toBe(lines.length);
  });

  it('turns rows into Parquet chunk by chunk when the input is larger than a chunk', async () => {
    const line = mixedEventLines().find(
      (l) => mapper.map('events', l).ok && JSON.parse(l).eventType === 'TEXT_DELIVERED',
    );
    const lines = Array.from({ length: 250 }, () => line as string);

    const report = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf(lines),
      chunkRows: 100,
    });

    const files = filesUnder(path.join(lake.path, 'events'));
    expect(files).toHaveLength(3);
    expect(new Set(files.map((f) => path.posix.dirname(f))).size).toBe(1);
    expect(await countRows(lake.path, 'events')).toBe(250);
    expect(report.dataFiles).toHaveLength(3);
  });

  it('records a manifest with counts, files and the input hash under _ingests/', async () => {
    const lines = mixedEventLines();

    const report = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    const manifest = JSON.parse(
      fs.readFileSync(path.join(lake.path, '_ingests', `${report.ingestId}.json`), 'utf8'),
    );
    expect(manifest).toMatchObject({
      ingestId: report.ingestId,
      table: 'events',
      recordsRead: lines.length,
      rowsWritten: report.rowsWritten,
      rowsByChannel: report.rowsByChannel,
      failures: 0,
      forced: false,
    });
    expect(manifest.inputHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifest.dataFiles).toEqual(filesUnder(path.join(lake.path, 'events')).map((f) => `events/${f}`));
    expect(Object.values(report.rowsByChannel).reduce((a, b) => a + b, 0)).toBe(report.rowsWritten);
  });

  it('leaves the lake unchanged and rethrows when reading the input fails midway', async () => {
    const lines = mixedEventLines();
    async function* brokenInput() {
      yield* recordsOf(lines.slice(0, 10));
      throw new Error('disk read error at byte 4096');
    }

    await expect(
      ingest({ lake: lake.path, table: 'events', mapper, records: brokenInput() }),
    ).rejects.toThrow('disk read error at byte 4096');

    expect(filesUnder(lake.path)).toEqual([]);
  });

  it.each([
    [
      'an unknown table',
      { table: 'clicks' },
      "ingest: table is \"clicks\", expected 'events' or 'conversations'",
    ],
    ['a chunk size of 0', { chunkRows: 0 }, 'ingest: chunkRows is 0, expected a whole number of at least 1'],
    ['an empty lake path', { lake: ' ' }, 'ingest: lake is " ", expected a folder path'],
  ])('throws IngestOptionsError when given %s', async (_name, bad, message) => {
    const options = {
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf([]),
      ...bad,
    } as Parameters<typeof ingest>[0];

    const attempt = ingest(options);

    await expect(attempt).rejects.toMatchObject({
      name: 'IngestOptionsError',
      message: expect.stringContaining(message),
    });
  });

  it('throws LakeDirectoryError when the lake path is a file', async () => {
    const file = path.join(lake.path, 'not-a-folder');
    fs.writeFileSync(file, 'x');

    const attempt = ingest({ lake: file, table: 'events', mapper, records: recordsOf([]) });

    await expect(attempt).rejects.toMatchObject({
      name: 'LakeDirectoryError',
      message: expect.stringContaining(`Lake ${file} is a file, expected a folder`),
    });
  });
});
