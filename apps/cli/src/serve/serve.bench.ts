// Throughput of `serve`: 100,000 mixed events put through PutRecordBatch by several SDK clients at once, until
// every record is in the lake; against the baseline of the same records given to ingest() directly, which is
// what the lake alone can take. The ratio is what HTTP, base64, buffering and the SDK cost on top of the lake.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DeliveryStream } from '@engagement-db/canonical-model';
import { ingest, type RawRecord } from '@engagement-db/lake';
import { createMapper, type Mapper } from '@engagement-db/mapper';
import { fixturesDirectory } from '@engagement-db/mapper/testing';
import { startFirehoseServer } from './firehose-server';

const totalRecords = Number(process.env['SERVE_BENCH_RECORDS'] ?? 100_000);
const batchSize = 500;
const clients = 4;
const runs = 5;
// A batch the endpoint keeps refusing in part is tried at most this often before the run is declared failed.
const maxAttemptsPerBatch = 20;

function mixedBatches(): Buffer[][] {
  const lines = readFileSync(join(fixturesDirectory, 'mixed.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Buffer.from(line));
  const batches: Buffer[][] = [];
  for (let start = 0; start < totalRecords; start += batchSize) {
    const size = Math.min(batchSize, totalRecords - start);
    batches.push(Array.from({ length: size }, (_, i) => lines[(start + i) % lines.length] as Buffer));
  }
  return batches;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function throughServe(
  batches: readonly Buffer[][],
  mapper: Mapper,
): Promise<{ putMs: number; totalMs: number; rows: number }> {
  const lake = mkdtempSync(join(tmpdir(), 'engagement-db-serve-bench-'));
  let rows = 0;
  const server = await startFirehoseServer({
    lake,
    mapper,
    port: 0,
    log: (line) => {
      const delivered = /delivered \d+ records as (\d+) rows/.exec(line);
      if (delivered) rows += Number(delivered[1]);
      else if (!line.includes('delivered')) process.stderr.write(`${line}\n`);
    },
  });
  const firehoses = Array.from(
    { length: clients },
    () =>
      new FirehoseClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDLOCALBENCH', secretAccessKey: 'local-bench-secret' },
      }),
  );
  try {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      firehoses.map(async (firehose) => {
        for (let index = next++; index < batches.length; index = next++) {
          let records = batches[index] as Buffer[];
          for (let attempt = 1; records.length > 0; attempt++) {
            if (attempt > maxAttemptsPerBatch)
              throw new Error(`batch ${index} still refused after ${maxAttemptsPerBatch} tries`);
            const answer = await firehose.send(
              new PutRecordBatchCommand({
                DeliveryStreamName: DeliveryStream.events,
                Records: records.map((Data) => ({ Data })),
              }),
            );
            records = records.filter((_, i) => answer.RequestResponses?.[i]?.ErrorCode !== undefined);
          }
        }
      }),
    );
    const putMs = performance.now() - started;
    await server.close();
    return { putMs, totalMs: performance.now() - started, rows };
  } finally {
    firehoses.forEach((firehose) => firehose.destroy());
    rmSync(lake, { recursive: true, force: true });
  }
}

async function throughIngest(
  batches: readonly Buffer[][],
  mapper: Mapper,
): Promise<{ totalMs: number; rows: number }> {
  const lake = mkdtempSync(join(tmpdir(), 'engagement-db-ingest-bench-'));
  async function* records(): AsyncGenerator<RawRecord> {
    let line = 0;
    for (const batch of batches) {
      for (const data of batch)
        yield { text: data.toString('utf8'), origin: DeliveryStream.events, line: ++line };
    }
  }
  try {
    const started = performance.now();
    const report = await ingest({ lake, stream: 'events', records: records(), mapper, deduplicate: false });
    return { totalMs: performance.now() - started, rows: report.rowsWritten };
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const batches = mixedBatches();
  const records = batches.reduce((sum, batch) => sum + batch.length, 0);
  const bytes = batches.reduce((sum, batch) => sum + batch.reduce((s, data) => s + data.length, 0), 0);
  const mapper = createMapper();
  const serve = { put: [] as number[], total: [] as number[] };
  const direct: number[] = [];
  console.log(
    `serve: ${records.toLocaleString('en-US')} records (${(bytes / 2 ** 20).toFixed(1)} MiB) of mixed.jsonl in ` +
      `PutRecordBatch calls of ${batchSize} from ${clients} SDK clients at once; median of ${runs} runs`,
  );
  for (let run = 1; run <= runs; run++) {
    const viaServe = await throughServe(batches, mapper);
    const viaIngest = await throughIngest(batches, mapper);
    if (viaServe.rows !== viaIngest.rows) {
      throw new Error(
        `run ${run}: serve wrote ${viaServe.rows} rows, ingest() ${viaIngest.rows}; they must be equal`,
      );
    }
    serve.put.push(viaServe.putMs);
    serve.total.push(viaServe.totalMs);
    direct.push(viaIngest.totalMs);
    console.log(
      `  run ${run}: serve accepted all in ${viaServe.putMs.toFixed(0)} ms, all in the lake after ${viaServe.totalMs.toFixed(0)} ms; ` +
        `ingest() ${viaIngest.totalMs.toFixed(0)} ms; ${viaServe.rows.toLocaleString('en-US')} rows each`,
    );
  }
  const perSecond = (ms: number): string => Math.round((records / ms) * 1000).toLocaleString('en-US');
  const accepted = median(serve.put);
  const landed = median(serve.total);
  const baseline = median(direct);
  console.log(
    `serve, records accepted:          ${perSecond(accepted)} records/s (median ${accepted.toFixed(0)} ms)`,
  );
  console.log(
    `serve, records in the lake:       ${perSecond(landed)} records/s (median ${landed.toFixed(0)} ms)`,
  );
  console.log(
    `baseline, ingest() directly:      ${perSecond(baseline)} records/s (median ${baseline.toFixed(0)} ms)`,
  );
  console.log(`ratio serve / ingest() (in lake): ${(baseline / landed).toFixed(2)} of the direct throughput`);
  console.log(
    `target: at least 5,000 records/s sustained through serve: ${(records / landed) * 1000 >= 5000 ? 'met' : 'NOT met'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
