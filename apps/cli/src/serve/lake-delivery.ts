import { type TableName, canonicalTables } from '@engagement-db/canonical-model';
import { RecordSpool, type SpoolRecord } from '@engagement-db/lake';
import type { Mapper } from '@engagement-db/mapper';
import { DeliveryBuffer } from './delivery-buffer';
import { FirehoseErrorType, type FirehoseError } from './firehose-error';
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
 * The records of one delivery stream on their way to the lake: acknowledged once in the lake's
 * write-ahead spool on the disk, delivered from the spool to the lake on the buffer rules.
 */
export interface SpooledStream {
  readonly spool: RecordSpool;
  readonly buffer: DeliveryBuffer;
  /** Puts accepted records in the spool; a refusal (the disk would not take them) to answer them with. */
  append(records: SpoolRecord[]): Promise<FirehoseError | undefined>;
}

/**
 * Opens the spool of each table and a delivery buffer that delivers it with `ingest()` when it is full
 * or its oldest record has waited long enough; one delivery at a time, as both write to the same lake.
 *
 * @throws LakeDirectoryError (from the lake) when the lake cannot be written.
 */
export async function openSpooledStreams(
  options: LakeDeliveryOptions,
): Promise<Map<TableName, SpooledStream>> {
  let lakeQueue: Promise<unknown> = Promise.resolve();
  const streams = new Map<TableName, SpooledStream>();
  try {
    for (const table of Object.values(canonicalTables)) {
      const stream = table.deliveryStreamName;
      const spool = await RecordSpool.open({
        lake: options.lake,
        table: table.name,
        mapper: options.mapper,
        origin: stream,
        split: linesOfRecord,
      });
      const buffer = new DeliveryBuffer({
        bufferBytes: options.bufferBytes,
        bufferIntervalMs: options.bufferIntervalMs,
        maxBufferedBytes: options.maxBufferedBytes,
        deliver: () => {
          const delivery = lakeQueue.then(() => deliverSpool(stream, spool, options.log));
          lakeQueue = delivery.catch(() => undefined);
          return delivery;
        },
        onDeliveryFailed: (error, records) =>
          options.log(
            `${stream}: delivery of ${records} records failed, kept in the spool for the next try in ` +
              `${options.bufferIntervalMs / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
          ),
      });
      const append = async (records: SpoolRecord[]): Promise<FirehoseError | undefined> => {
        try {
          await spool.append(records);
        } catch (error) {
          options.log(`records refused: ${error instanceof Error ? error.message : String(error)}`);
          return couldNotStore();
        }
        buffer.added(
          records.length,
          records.reduce((sum, record) => sum + record.data.length, 0),
        );
        return undefined;
      };
      streams.set(table.name, { spool, buffer, append });
    }
  } catch (error) {
    await Promise.all([...streams.values()].map(({ spool }) => spool.close()));
    throw error;
  }
  return streams;
}

/** Delivers what an earlier run acknowledged and could not deliver, before anything new. */
export function deliverLeftovers(
  streams: ReadonlyMap<TableName, SpooledStream>,
  log: (line: string) => void,
): void {
  for (const [table, { spool, buffer }] of streams) {
    if (spool.pendingRecords === 0) continue;
    log(
      `${canonicalTables[table].deliveryStreamName}: ${spool.pendingRecords} records left in the spool by an ` +
        'earlier run; delivering them',
    );
    buffer.added(spool.pendingRecords, spool.pendingBytes);
    void buffer.flush();
  }
}

async function deliverSpool(stream: string, spool: RecordSpool, log: (line: string) => void): Promise<void> {
  let firstFailure: string | undefined;
  const started = Date.now();
  const delivered = await spool.deliver(({ recordId, line, error }) => {
    firstFailure ??= `record ${recordId} line ${line}: ${error.kind}: ${error.message}`;
  });
  if (!delivered) return;
  const { records, ingest: report } = delivered;
  const failed =
    report.failures > 0 ? `; ${report.failures} lines failed, kept in errors/ (first: ${firstFailure})` : '';
  log(
    `${stream}: delivered ${records} records as ${report.rowsWritten} rows in ${Date.now() - started} ms${failed}`,
  );
}

function couldNotStore(): FirehoseError {
  return {
    kind: FirehoseErrorType.serviceUnavailable,
    message: 'The endpoint could not store the record on its disk; see its log. Try again later.',
    status: 503,
  };
}
