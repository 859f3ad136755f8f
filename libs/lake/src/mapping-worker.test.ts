import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TableName } from '@engagement-db/canonical-model';
import { type Mapper, createMapper } from '@engagement-db/mapper';
import {
  conversationLines,
  duckdbRows,
  filesUnder,
  mixedEventLines,
  recordsOf,
  temporaryFolder,
} from '../test/lake-test-kit';
import { type IngestFailure, type IngestReport, ingest } from './ingest';
import { listIngests } from './ingest-manifest';
import type { RawRecord } from './raw-record';

const mapper = createMapper();
const chunkRows = 300;

/** Many distinct records (over several worker batches) with refused ones in between. */
function inputOf(table: TableName): string[] {
  const lines: string[] = [];
  const copies = table === 'events' ? 45 : 500;
  const fixtures = table === 'events' ? mixedEventLines() : conversationLines();
  for (let copy = 0; copy < copies; copy += 1) {
    for (const line of fixtures) {
      const record = JSON.parse(line) as Record<string, unknown>;
      // Distinct rows, so a row applied out of order would land in another chunk's file.
      const distinct =
        table === 'events'
          ? { ...record, copy }
          : { ...record, messageId: `${String(record.messageId)}-${copy}` };
      lines.push(JSON.stringify(distinct));
    }
    if (copy % 7 === 3) lines.push(`{"not": "closed" ${copy}`);
    if (copy % 11 === 5) lines.push(`{"hello":"world ${copy}"}`);
  }
  return lines;
}

const arrival = Date.UTC(2025, 2, 14, 9, 30);

async function* arrivedRecordsOf(lines: readonly string[]): AsyncGenerator<RawRecord> {
  for await (const record of recordsOf(lines)) yield { ...record, arrivalTimestamp: arrival };
}

interface LakeContent {
  readonly report: Omit<IngestReport, 'ingestId' | 'dataFiles' | 'errorFiles'>;
  readonly failuresSeen: string[];
  /** Per Parquet file (ingest id replaced): its rows, as sorted JSON. */
  readonly parquet: Record<string, string[]>;
  /** Per errors file (ingest id replaced): its records in order, without the attempt time. */
  readonly errors: Record<string, unknown[]>;
}

async function ingestAndRead(
  lake: string,
  table: TableName,
  lines: string[],
  mappingWorkers: number,
): Promise<LakeContent> {
  const failuresSeen: string[] = [];
  const report = await ingest({
    lake,
    table,
    mapper,
    records: arrivedRecordsOf(lines),
    chunkRows,
    mappingWorkers,
    onFailure: ({ origin, line, error }: IngestFailure) =>
      failuresSeen.push(`${origin}:${line}:${error.kind}:${error.message}`),
  });
  const { ingestId, dataFiles, errorFiles, ...counts } = report;
  const parquet: Record<string, string[]> = {};
  const stored = await duckdbRows(
    `SELECT * FROM read_parquet([${dataFiles.map((file) => `'${file}'`).join(', ')}], filename = true)`,
  );
  for (const { filename, ...row } of stored) {
    const file = path.relative(lake, String(filename)).replaceAll(ingestId, 'ID');
    (parquet[file] ??= []).push(JSON.stringify(row));
  }
  for (const rows of Object.values(parquet)) rows.sort();
  const errors: Record<string, unknown[]> = {};
  for (const file of errorFiles) {
    errors[path.relative(lake, file).replaceAll(ingestId, 'ID')] = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const { attemptEndingTimestamp, ...rest } = JSON.parse(line) as Record<string, unknown>;
        expect(attemptEndingTimestamp).toEqual(expect.any(Number));
        return rest;
      });
  }
  return { report: counts, failuresSeen, parquet, errors };
}

describe('mapping-worker (ingest with mappingWorkers)', () => {
  let work: ReturnType<typeof temporaryFolder>;
  beforeEach(() => {
    work = temporaryFolder();
  });
  afterEach(() => work.remove());

  it.each([
    ['events', 1],
    ['events', 2],
    ['conversations', 2],
  ] as const)(
    'writes exactly the %s rows, files and error records of mappingWorkers 0 when given %i worker(s)',
    async (table, workers) => {
      const lines = inputOf(table);
      const inline = await ingestAndRead(path.join(work.path, 'inline'), table, lines, 0);

      const threaded = await ingestAndRead(path.join(work.path, 'threaded'), table, lines, workers);

      expect(inline.report.failures).toBeGreaterThan(0);
      expect(Object.keys(inline.parquet).length).toBeGreaterThan(
        new Set(Object.keys(inline.parquet).map(path.dirname)).size,
      );
      expect(inline.report.rowsWritten).toBeGreaterThan(3 * chunkRows);
      expect(threaded).toEqual(inline);
    },
  );

  it('skips input already ingested without workers as a duplicate when ingesting it with workers', async () => {
    const lines = mixedEventLines();
    const first = await ingest({ lake: work.path, table: 'events', mapper, records: recordsOf(lines) });

    const again = await ingest({
      lake: work.path,
      table: 'events',
      mapper,
      records: recordsOf(lines, 'copy.jsonl'),
      mappingWorkers: 2,
    });

    expect(again.skippedAsDuplicateOf).toBe(first.ingestId);
    expect(listIngests(work.path)).toHaveLength(1);
  });

  it('fails with MappingWorkerError and commits nothing when a worker crashes midway', async () => {
    const lines = inputOf('events');

    const attempt = ingest({
      lake: work.path,
      table: 'events',
      mapper,
      records: recordsOf(lines),
      mappingWorkers: 1,
      mappingWorkerScript: path.join(__dirname, '..', 'test', 'crashing-mapping-worker.ts'),
    });

    await expect(attempt).rejects.toMatchObject({
      name: 'MappingWorkerError',
      message: expect.stringMatching(
        /^Mapping worker \d+ \(.*crashing-mapping-worker\.ts\) threw Error: out of luck on batch 1 while mapping records\./,
      ),
    });
    expect(filesUnder(work.path)).toEqual([]);
  });

  it('fails with MappingWorkerError when the workers cannot make the mapper from its settings', async () => {
    const broken: Mapper = {
      map: (table, text) => mapper.map(table, text),
      mapLines: (table, text) => mapper.mapLines(table, text),
      settings: {
        ...mapper.settings,
        templateSources: { ...mapper.settings.templateSources, ses: '#if($event' },
      },
    };

    const attempt = ingest({
      lake: work.path,
      table: 'events',
      mapper: broken,
      records: recordsOf(mixedEventLines()),
      mappingWorkers: 2,
    });

    await expect(attempt).rejects.toMatchObject({
      name: 'MappingWorkerError',
      message: expect.stringContaining('threw TemplateCompileError'),
    });
    expect(filesUnder(work.path)).toEqual([]);
  });

  it('throws IngestOptionsError and commits nothing when the worker script does not exist', async () => {
    const script = path.join(work.path, 'missing-worker.js');

    const attempt = ingest({
      lake: work.path,
      table: 'events',
      mapper,
      records: recordsOf(mixedEventLines()),
      mappingWorkers: 1,
      mappingWorkerScript: script,
    });

    await expect(attempt).rejects.toMatchObject({
      name: 'IngestOptionsError',
      message: expect.stringContaining(`ingest: mapping worker script ${script} does not exist`),
    });
    expect(filesUnder(work.path)).toEqual([]);
  });
});
