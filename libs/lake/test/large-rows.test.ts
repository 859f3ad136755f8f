import { TableName } from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { createMapper } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { countRows, duckdbRows, recordsOf, temporaryFolder } from './lake-test-kit';

describe('ingest of rows larger than DuckDB reads by default', () => {
  let folder: { path: string; remove(): void };
  beforeEach(() => {
    folder = temporaryFolder();
  });
  afterEach(() => folder.remove());

  it('writes rows whose JSON lines are over 16 MiB (a status description of 14 MiB, kept twice) with the rest', async () => {
    const sms = JSON.parse(
      loadCorpus().find((c) => c.name === 'sms/text-delivered')?.rawText ?? '',
    ) as object;
    const description = 'x'.repeat(14 << 20);
    // Three such lines in one hour: DuckDB reads a line whole only when it fits in one of its buffers.
    const lines = [
      JSON.stringify(sms),
      ...[1, 2, 3].map((n) =>
        JSON.stringify({ ...sms, messageId: `large-${n}`, messageStatusDescription: description }),
      ),
    ];

    const report = await ingest({
      lake: folder.path,
      table: TableName.events,
      mapper: createMapper(),
      records: recordsOf(lines),
    });

    expect({ rows: report.rowsWritten, failures: report.failures }).toEqual({ rows: 4, failures: 0 });
    expect(await countRows(folder.path, 'events')).toBe(4);
    const large = await duckdbRows(
      `SELECT messageid, length(statusmessage) AS n FROM read_parquet('${folder.path}/events/*/*/*/*/*.parquet') WHERE messageid LIKE 'large-%' ORDER BY 1`,
    );
    expect(large.map((row) => [row.messageid, Number(row.n)])).toEqual(
      [1, 2, 3].map((n) => [`large-${n}`, description.length]),
    );
  });

  it('writes a row whose JSON line is 160 MB, which DuckDB reads only with more memory than an ingest has', async () => {
    const sms = JSON.parse(
      loadCorpus().find((c) => c.name === 'sms/text-delivered')?.rawText ?? '',
    ) as object;
    const description = 'x'.repeat(80 << 20);

    const report = await ingest({
      lake: folder.path,
      table: TableName.events,
      mapper: createMapper(),
      records: recordsOf([
        JSON.stringify(sms),
        JSON.stringify({ ...sms, messageId: 'huge', messageStatusDescription: description }),
      ]),
    });

    expect({ rows: report.rowsWritten, failures: report.failures }).toEqual({ rows: 2, failures: 0 });
    const huge = await duckdbRows(
      `SELECT length(statusmessage) AS n FROM read_parquet('${folder.path}/events/*/*/*/*/*.parquet') WHERE messageid = 'huge'`,
    );
    expect(huge.map((row) => Number(row.n))).toEqual([description.length]);
  });
});
