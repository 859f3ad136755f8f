// The script of an ingest's mapping worker threads (`IngestOptions.mappingWorkers`). Each worker makes
// the ingest's mapper again from its plain settings and answers every batch of record texts with
// the batch mapped and serialised for the spool, so the ingesting thread only hashes, orders and spools.
// Published as `@engagement-db/lake/mapping-worker`; loaded in the main thread it does nothing.
import { parentPort, workerData } from 'node:worker_threads';
import { isTableName } from '@engagement-db/canonical-model';
import { createMapper, mapperOptionsOf } from '@engagement-db/mapper';
import { LakeError } from './errors';
import {
  type MappingReply,
  type MappingRequest,
  type MappingWorkerData,
  batchMapperOf,
} from './internal/mapped-batch';

if (parentPort) {
  const port = parentPort;
  const data = workerData as Partial<MappingWorkerData> | undefined;
  if (!data?.settings || !isTableName(data.table)) {
    throw new LakeError(
      `mapping worker: workerData is ${JSON.stringify(data)?.slice(0, 200)}, expected { settings: mapper.settings, table: 'events' | 'conversations' }. ` +
        'Start this script only through ingest({ mappingWorkers }).',
    );
  }
  const mapBatch = batchMapperOf(createMapper(mapperOptionsOf(data.settings)), data.table);
  port.on('message', (request: MappingRequest) => {
    const reply: MappingReply = { id: request.id, batch: mapBatch(request.texts) };
    port.postMessage(reply, [reply.batch.text.buffer as ArrayBuffer]);
  });
}
