import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
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
  snapshotOf,
  temporaryFolder,
  unwritableFolder,
} from '../test/lake-test-kit';
import { LakeError } from './errors';
import type { FailureRecord } from './failure-record';
import { ingest } from './ingest';
import { listIngests } from './ingest-manifest';
import { type RawRecord, readJsonLines } from './raw-record';

const mapper = createMapper();

/** A mapped row's value as DuckDB reads it back from Parquet as JSON: bigints as text, maps as sorted entries. */
function storedValueOf(kind: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (kind === 'bigint') return String(value);
  if (kind.startsWith('map<'))
    return normalisedMap(Object.entries(value).map(([key, v]) => ({ key, value: v })));
  return value;
}

function normalisedMap(value: unknown): unknown {
  if (
    !Array.isArray(value) ||
    !value.every((entry) => typeof entry === 'object' && entry !== null && 'key' in entry)
  )
    return value;
  return [...(value as { key: string; value: unknown }[])].sort((a, b) => (a.key < b.key ? -1 : 1));
}

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

  it.each([
    ['events', eventTable, mixedEventLines],
    ['conversations', conversationTable, conversationLines],
  ] as const)(
    'stores exactly the %s rows the mapper made, every column, each in the hour of its own timestamp',
    async (tableName, table, lines) => {
      const expected = lines().flatMap((line) => {
        const result = mapper.map(tableName, line);
        return result.ok ? (result.value as unknown as Record<string, unknown>[]) : [];
      });

      await ingest({ lake: lake.path, table: tableName, mapper, records: recordsOf(lines()) });

      const stored = await duckdbRows(
        `SELECT *, filename FROM read_parquet('${lake.path}/${table.prefix}/*/*/*/*/*.parquet', filename = true)`,
      );
      const storage = duckdbColumnsOf(table);
      const asStored = (row: Record<string, unknown>): string =>
        JSON.stringify(
          table.columns.map((column, i) => [storage[i].name, storedValueOf(column.kind, row[column.name])]),
        );
      const asRead = (row: Record<string, unknown>): string =>
        JSON.stringify(storage.map((column) => [column.name, normalisedMap(row[column.name])]));
      expect(stored.map(asRead).sort()).toEqual(expected.map(asStored).sort());
      expect(storage).toHaveLength(table.columns.length);
      const storedColumns = Object.keys(stored[0]).filter((name) => !name.startsWith('filename'));
      expect(storedColumns.sort()).toEqual(storage.map((column) => column.name).sort());
      for (const row of stored) {
        const hour = partitionPathOf(Number(row.timestamp)).split('/').join(path.sep);
        expect(String(row.filename)).toContain(`${path.sep}${table.prefix}${path.sep}${hour}${path.sep}`);
      }
    },
  );

  it('puts rows at the edges of hours and of the timestamp range in the hour of their own timestamp', async () => {
    const send = mixedEventLines()
      .map((line) => JSON.parse(line))
      .find((event) => event.eventType === 'Send' && event.mail?.timestamp);
    const moments = [
      '1970-01-01T00:00:00.000Z',
      '2025-03-14T09:59:59.999Z',
      '2025-03-14T10:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const lines = moments.map((timestamp) => JSON.stringify({ ...send, mail: { ...send.mail, timestamp } }));

    const report = await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines) });

    expect(report.rowsWritten).toBe(moments.length);
    const stored = await duckdbRows(
      `SELECT "timestamp", filename FROM read_parquet('${lake.path}/events/*/*/*/*/*.parquet', filename = true)`,
    );
    expect(stored.map((row) => new Date(Number(row.timestamp)).toISOString()).sort()).toEqual(
      [...moments].sort(),
    );
    for (const row of stored) {
      const hour = partitionPathOf(Number(row.timestamp)).split('/').join(path.sep);
      expect(path.dirname(String(row.filename))).toBe(path.join(lake.path, 'events', hour));
    }
  });

  it('is given a corpus that tells statuscode from statusmessage and has rawstatus and channeldata values', async () => {
    await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(mixedEventLines()) });

    const [counts] = await duckdbRows(
      `SELECT count(*) FILTER (WHERE statuscode IS DISTINCT FROM statusmessage) AS apart,
              count(rawstatus) AS rawstatuses, count(channeldata) AS channeldatas
       FROM read_parquet('${lake.path}/events/*/*/*/*/*.parquet')`,
    );

    // Otherwise the comparison of every column would not notice two columns swapped or one written as NULL.
    expect(Number(counts.apart)).toBeGreaterThan(0);
    expect(Number(counts.rawstatuses)).toBeGreaterThan(0);
    expect(Number(counts.channeldatas)).toBeGreaterThan(0);
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

  it('leaves the lake unchanged when the input fails after several chunks were written to Parquet', async () => {
    const lines = mixedEventLines();
    await ingest({ lake: lake.path, table: 'events', mapper, records: recordsOf(lines.slice(0, 5)) });
    const before = snapshotOf(lake.path);
    const stagedParquet = (): string[] =>
      filesUnder(path.join(lake.path, '_staging')).filter((file) => file.endsWith('.parquet'));
    let stagedWhenFailing: string[] = [];
    async function* failingAfterChunks(): AsyncGenerator<RawRecord> {
      for (let copy = 0; copy < 40; copy += 1) {
        yield* recordsOf(lines.map((line) => JSON.stringify({ ...JSON.parse(line), copy })));
      }
      // Conversions run beside the reading: wait until several chunks are Parquet in staging.
      for (let waited = 0; stagedParquet().length < 4 && waited < 10_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      stagedWhenFailing = stagedParquet();
      throw new Error('input cut off after several chunks');
    }

    const attempt = ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: failingAfterChunks(),
      chunkRows: 50,
    });

    await expect(attempt).rejects.toThrow('input cut off after several chunks');
    expect(
      new Set(stagedWhenFailing.map((file) => /-(\d+)-\d+\.parquet$/.exec(file)?.[1])).size,
    ).toBeGreaterThanOrEqual(3);
    expect(snapshotOf(lake.path)).toEqual(before);
  });

  it('keeps the exact bytes of a record that is not valid UTF-8 in its failure record', async () => {
    const input = Buffer.concat([
      Buffer.from(`${mixedEventLines()[0]}\n`),
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d, 0x0a]), // {"a":"\xff\xfe\xc3(\"}
      Buffer.from([0xed, 0xa0, 0x80, 0x80, 0x0d, 0x0a]), // a UTF-8-encoded lone surrogate, then CRLF
    ]);

    const report = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: readJsonLines(Readable.from([input]), 'bytes.jsonl'),
    });

    const stored = report.errorFiles.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as FailureRecord),
    );
    expect(stored.map((failure) => [failure.line, Buffer.from(failure.rawData, 'base64')])).toEqual([
      [2, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
      [3, Buffer.from([0xed, 0xa0, 0x80, 0x80])],
    ]);
  });

  it.each([
    ['empty', ''],
    ['whitespace-only', ' \t '],
  ])('keeps an %s record as a failure with the reason, not as a silent drop', async (_name, text) => {
    const reported: string[] = [];

    const report = await ingest({
      lake: lake.path,
      table: 'events',
      mapper,
      records: recordsOf([mixedEventLines()[0], text], 'engagementdb-events'),
      onFailure: ({ line, error }) => reported.push(`${line}: ${error.kind}: ${error.message}`),
    });

    const expected =
      '2: unparseable-json: the record is empty or only whitespace; expected one JSON document';
    expect(reported).toEqual([expected]);
    expect(report.failures).toBe(1);
    const [stored] = fs
      .readFileSync(report.errorFiles[0], 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(stored).toMatchObject({
      errorCode: 'unparseable-json',
      errorMessage: expect.stringContaining('empty'),
      line: 2,
    });
    expect(Buffer.from(stored.rawData, 'base64').toString('utf8')).toBe(text);
  });

  it.each([
    [
      'read-only',
      'read-only file system \\(EROFS\\); choose a writable lake with --lake|permission denied \\(EACCES\\); make the lake writable or choose another with --lake',
    ],
    [
      'full',
      'no space left on device \\(ENOSPC\\); free some space or choose another lake with --lake|No space left on device',
    ],
  ] as const)(
    'reports a %s lake in one line naming the path and the cause, and leaves it unchanged',
    async (kind, cause) => {
      const folder = unwritableFolder(kind);
      try {
        const lines = mixedEventLines();
        await ingest({ lake: folder.path, table: 'events', mapper, records: recordsOf(lines.slice(0, 3)) });
        const before = snapshotOf(folder.path);
        folder.seal();
        // Far more than 2 MiB once mapped and spooled.
        const many = Array.from({ length: 60 }, (_, copy) =>
          lines.map((line) => JSON.stringify({ ...JSON.parse(line), copy })),
        ).flat();

        const attempt = ingest({ lake: folder.path, table: 'events', mapper, records: recordsOf(many) });

        const error = await attempt.then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error).toBeInstanceOf(LakeError);
        expect(error?.name).toMatch(/^(LakeDirectoryError|ParquetWriteError)$/);
        expect(error?.message).not.toContain('\n');
        expect(error?.message).toMatch(
          new RegExp(`^(Cannot write|DuckDB could not write) ${folder.path}/\\S+.*(${cause})`),
        );
        expect(snapshotOf(folder.path)).toEqual(before);
        process.stdout.write(`${kind} lake (${folder.how}): ${error?.message}\n`);
      } finally {
        folder.remove();
      }
    },
  );

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
