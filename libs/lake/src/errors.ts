/**
 * Base class of every error the lake throws: a programmer or configuration error, never bad input.
 *
 * @example
 * ```ts
 * try { await ingest(options); } catch (error) { if (error instanceof LakeError) console.error(error.message); else throw error; }
 * ```
 */
export class LakeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeError';
  }
}

/**
 * The lake folder cannot be used: it is a file, or it cannot be created, read or written.
 *
 * @example await ingest({ lake: '/etc/passwd', ... }) // rejects with LakeDirectoryError
 */
export class LakeDirectoryError extends LakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeDirectoryError';
  }
}

/**
 * `ingest` (or `RecordSpool.open`) was called with options it cannot work with (an unknown table, a chunk size below 1).
 *
 * @example await ingest({ ..., table: 'clicks' }) // rejects with IngestOptionsError
 */
export class IngestOptionsError extends LakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestOptionsError';
  }
}

/**
 * DuckDB failed while turning staged rows into Parquet: a disk, permission or engine problem, not bad input.
 *
 * @example catch (error) { if (error instanceof ParquetWriteError) console.error('disk full?', error.cause); }
 */
export class ParquetWriteError extends LakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParquetWriteError';
  }
}

/**
 * A mapping worker thread of an ingest failed: its script could not be loaded, or it crashed or
 * exited while records were being mapped. Nothing of that ingest is committed.
 *
 * @example catch (error) { if (error instanceof MappingWorkerError) console.error('retry with mappingWorkers: 0', error.cause); }
 */
export class MappingWorkerError extends LakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MappingWorkerError';
  }
}

/**
 * The lake lock (`LAKE/_lock`, held for the moment an ingest checks for duplicates and commits) stayed
 * with another live process for longer than an ingest ever holds it.
 *
 * @example catch (error) { if (error instanceof LakeLockError) console.error(error.message); // names the holder }
 */
export class LakeLockError extends LakeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LakeLockError';
  }
}
