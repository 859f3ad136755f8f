export {
  LakeError,
  LakeDirectoryError,
  IngestOptionsError,
  ParquetWriteError,
  MappingWorkerError,
  LakeLockError,
} from './errors';
export { resolveLakeDirectory, lakeEnvironmentVariable, defaultLakeFolder } from './lake-directory';
export { rawRecordOfBytes, readJsonLines } from './raw-record';
export type { RawRecord } from './raw-record';
export { ingest } from './ingest';
export { defaultMappingWorkerScript } from './mapping-worker-script';
export type { IngestOptions, IngestReport, IngestProgress, IngestFailure } from './ingest';
export { failureRecordOf } from './failure-record';
export type { FailureRecord } from './failure-record';
export { listIngests } from './ingest-manifest';
export type { IngestManifest } from './ingest-manifest';
export { CommittedDataFiles } from './committed-data-files';
export type { DataFileSnapshot, UnlistedDataFile } from './committed-data-files';
export { adoptDataFiles } from './adopt-data-files';
export type { AdoptionReport } from './adopt-data-files';
export { recoverLake } from './recover-lake';
export type { LakeRecovery } from './recover-lake';
export { RecordSpool, spoolFolder } from './record-spool';
export type { RecordSpoolOptions, SpoolRecord, SpoolFailure, SpoolDelivery } from './record-spool';
