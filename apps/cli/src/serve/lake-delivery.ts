import { type TableName, canonicalTables } from '@engagement-db/canonical-model';
import { type RawRecord, ingest } from '@engagement-db/lake';
import type { Mapper } from '@engagement-db/mapper';
import { DeliveryBuffer, type BufferedRecord } from './delivery-buffer';
import { linesOfRecord } from './record-lines';

/** Where and how the records of the endpoint's streams land in the lake. */
export interface LakeDeliveryOptions {
  readonly lake: string;
  readonly mapper: Mapper;
  readonly bufferBytes: number;
  readonly bufferIntervalMs: number;
  readonly maxBufferedBytes: number;
  readonly log: (line: string) => void;
}

/**
 * One delivery buffer per table, each delivering its records to the lake with `ingest()` when it is
 * full or its oldest record has waited long enough; one delivery at a time, as both write to the same lake.
 */
export function lakeDeliveryBuffers(options: LakeDeliveryOptions): Map<TableName, DeliveryBuffer> {
  let lakeQueue: Promise<unknown> = Promise.resolve();
  return new Map(
    Object.values(canonicalTables).map((table) => {
      const stream = table.deliveryStreamName;
      // Lines are numbered per stream across deliveries, so a line number names one line of the stream.
      const lineCounter = { last: 0 };
      const buffer = new DeliveryBuffer({
        bufferBytes: options.bufferBytes,
        bufferIntervalMs: options.bufferIntervalMs,
        maxBufferedBytes: options.maxBufferedBytes,
        deliver: (records) => {
          const delivery = lakeQueue.then(() => deliverToLake(table.name, records, lineCounter, options));
          lakeQueue = delivery.catch(() => undefined);
          return delivery;
        },
        onDeliveryFailed: (error, records) =>
          options.log(
            `${stream}: delivery of ${records.length} records failed, kept for the next try in ` +
              `${options.bufferIntervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      return [table.name, buffer];
    }),
  );
}

async function deliverToLake(
  table: TableName,
  records: readonly BufferedRecord[],
  lineCounter: { last: number },
  options: LakeDeliveryOptions,
): Promise<void> {
  const stream = canonicalTables[table].deliveryStreamName;
  const recordIdOfLine = new Map<number, string>();
  let firstFailure: string | undefined;
  const started = Date.now();
  const report = await ingest({
    lake: options.lake,
    table,
    records: linesOf(stream, records, lineCounter, recordIdOfLine),
    mapper: options.mapper,
    deduplicate: false,
    onFailure: ({ line, error }) => {
      firstFailure ??= `record ${recordIdOfLine.get(line)} line ${line}: ${error.kind}: ${error.message}`;
    },
  });
  const failed =
    report.failures > 0 ? `; ${report.failures} lines failed, kept in errors/ (first: ${firstFailure})` : '';
  options.log(
    `${stream}: delivered ${records.length} records as ${report.rowsWritten} rows in ${Date.now() - started} ms${failed}`,
  );
}

/** The records of a delivery as the lake reads them, numbered per stream. */
async function* linesOf(
  stream: string,
  records: readonly BufferedRecord[],
  lineCounter: { last: number },
  recordIdOfLine: Map<number, string>,
): AsyncGenerator<RawRecord> {
  for (const record of records) {
    for (const text of linesOfRecord(record.data)) {
      lineCounter.last += 1;
      recordIdOfLine.set(lineCounter.last, record.recordId);
      yield { text, origin: stream, line: lineCounter.last, arrivalTimestamp: record.arrivalTimestamp };
    }
  }
}
