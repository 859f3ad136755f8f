import type { TableName } from '@engagement-db/canonical-model';
import type { MappedLine, Mapper, MappingFailure, MapperSettings } from '@engagement-db/mapper';

/**
 * A batch of raw records mapped and serialised the way the lake spools them, so applying it
 * takes no more than appending text. Plain data: it crosses from a mapping worker by structured clone.
 */
export interface MappedBatch {
  /** Per record, in input order: the number of rows it gave, or -1 when the mapper refused it. */
  readonly rowCounts: number[];
  /** Every row's JSON line, newline included, back to back in UTF-8: what the spool files hold. */
  readonly text: Uint8Array;
  /** Per row, in order: where its line ends in `text` (it starts where the one before ends). */
  readonly rowEnds: number[];
  /** Per refused record, in input order: why. */
  readonly failures: MappingFailure[];
  readonly rowsByChannel: Record<string, number>;
}

const newline = 0x0a;
// About a batch of 512 events' rows; grown when a batch needs more.
const initialBatchBytes = 1 << 20;

/** What a mapping worker is started with. */
export interface MappingWorkerData {
  readonly settings: MapperSettings;
  readonly table: TableName;
}

/** A batch sent to a mapping worker. */
export interface MappingRequest {
  readonly id: number;
  readonly texts: string[];
}

/** A mapping worker's answer to one request. */
export interface MappingReply {
  readonly id: number;
  readonly batch: MappedBatch;
}

/** Maps batches of record texts with one mapper into spool-ready batches. */
export type BatchMapper = (texts: readonly string[]) => MappedBatch;

/**
 * A batch mapper for one table. Rows are encoded here, into a buffer of their own that a worker can transfer without a copy, so the
 * ingesting thread neither copies nor encodes text.
 */
export function batchMapperOf(mapper: Mapper, table: TableName): BatchMapper {
  return (texts) => {
    const rowCounts: number[] = [];
    const rowEnds: number[] = [];
    const failures: MappingFailure[] = [];
    const rowsByChannel: Record<string, number> = {};
    let text = Buffer.allocUnsafeSlow(initialBatchBytes);
    let used = 0;
    const addRow = (row: MappedLine): void => {
      const line = row.text;
      // A UTF-16 unit never takes more than 3 UTF-8 bytes; `write` would cut a line short otherwise.
      if (used + 3 * line.length + 1 > text.length) {
        const larger = Buffer.allocUnsafeSlow(Math.max(2 * text.length, used + 3 * line.length + 1));
        text.copy(larger, 0, 0, used);
        text = larger;
      }
      used += text.write(line, used, 'utf8');
      text[used++] = newline;
      rowEnds.push(used);
      rowsByChannel[row.channel] = (rowsByChannel[row.channel] ?? 0) + 1;
    };
    for (const recordText of texts) {
      const result = mapper.mapLines(table, recordText);
      if (result.ok) {
        for (const row of result.value) addRow(row);
        rowCounts.push(result.value.length);
      } else {
        rowCounts.push(-1);
        failures.push(result.error);
      }
    }
    return { rowCounts, text: new Uint8Array(text.buffer, 0, used), rowEnds, failures, rowsByChannel };
  };
}
