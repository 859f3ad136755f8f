// A mapping worker that answers its first batch and then dies mid-run, as a worker that runs out of
// memory or hits a bug would (see mapping-worker.test.ts).
import { parentPort } from 'node:worker_threads';

let batches = 0;
parentPort?.on('message', (request: { id: number; texts: string[] }) => {
  batches += 1;
  if (batches > 1) throw new Error(`out of luck on batch ${request.id}`);
  parentPort?.postMessage({
    id: request.id,
    batch: {
      rowCounts: request.texts.map(() => 0),
      hours: [],
      text: new Uint8Array(0),
      rowEnds: [],
      failures: [],
      rowsByChannel: {},
    },
  });
});
