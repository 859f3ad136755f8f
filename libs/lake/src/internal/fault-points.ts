/**
 * Places where a test makes the lake fail on purpose, to prove that any failure ends an ingest or a
 * spool write promptly, releases what it holds and leaves the lake as it was. The lake only calls
 * them; nothing outside the lake's own tests sets them, and they are not exported from the package.
 */
export interface FaultPoints {
  /** Before DuckDB turns a chunk of spooled rows into Parquet (chunks numbered from 0). */
  beforeParquetCopy?(spool: string, chunk: number): void;
  /** After a batch of mapped records was applied to the staged ingest (batches numbered from 1). */
  afterBatchApplied?(batch: number): void;
  /** Once every record is read and mapped, before the ingest looks for identical input (may wait). */
  beforeDuplicateCheck?(): Promise<void> | void;
  /** Inside the lake lock, just before a staged ingest is committed. */
  beforeCommit?(): void;
  /** Before a group of spool frames is written to its segment. */
  beforeSpoolWrite?(): void;
  /** Before the lake writes to `target` through `writingTo` (throw an ENOSPC error to fill the disk). */
  beforeWrite?(target: string): void;
}

/** The fault points in effect; empty unless a test sets one. */
export const faultPoints: FaultPoints = {};
