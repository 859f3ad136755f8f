// Throughput of `serve`: 100,000 events of generated activity put through PutRecordBatch by several SDK clients
// at once, until every record is in the lake; against the baseline of the same records given to ingest()
// directly, which is what the lake alone can take. The ratio is what HTTP, base64, buffering and the SDK cost
// on top of the lake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { TableName, canonicalTables } from '@engagement-db/canonical-model';
import { ingest, type RawRecord } from '@engagement-db/lake';
import { createMapper, type Mapper } from '@engagement-db/mapper';
import {
  type Timing,
  generateEventTexts,
  medianTiming,
  printBenchmark,
  timed,
} from '@engagement-db/workload';
import { startFirehoseServer } from './firehose-server';

const totalRecords = Number(process.env['SERVE_BENCH_RECORDS'] ?? 100_000);
const batchSize = 500;
const clients = 4;
const runs = 5;
// A batch the endpoint keeps refusing in part is tried at most this often before the run is declared failed.
const maxAttemptsPerBatch = 20;

const events = canonicalTables.events.deliveryStreamName;

function activityBatches(): Buffer[][] {
  const batches: Buffer[][] = [];
  for (const text of generateEventTexts(totalRecords)) {
    if (batches.length === 0 || (batches.at(-1) as Buffer[]).length === batchSize) batches.push([]);
    (batches.at(-1) as Buffer[]).push(Buffer.from(text));
  }
  return batches;
}

async function throughServe(
  batches: readonly Buffer[][],
  mapper: Mapper,
): Promise<{ accepted: Timing; landed: Timing; rows: number }> {
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
  const putAll = async (): Promise<void> => {
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
                DeliveryStreamName: events,
                Records: records.map((Data) => ({ Data })),
              }),
            );
            records = records.filter((_, i) => answer.RequestResponses?.[i]?.ErrorCode !== undefined);
          }
        }
      }),
    );
  };
  try {
    let accepted: Timing | undefined;
    const landed = await timed(async () => {
      accepted = await timed(putAll);
      await server.close();
    });
    return { accepted: accepted as Timing, landed, rows };
  } finally {
    firehoses.forEach((firehose) => firehose.destroy());
    rmSync(lake, { recursive: true, force: true });
  }
}

async function throughIngest(
  batches: readonly Buffer[][],
  mapper: Mapper,
): Promise<{ landed: Timing; rows: number }> {
  const lake = mkdtempSync(join(tmpdir(), 'engagement-db-ingest-bench-'));
  async function* records(): AsyncGenerator<RawRecord> {
    let line = 0;
    for (const batch of batches) {
      for (const data of batch) yield { text: data.toString('utf8'), origin: events, line: ++line };
    }
  }
  try {
    let rows = 0;
    const landed = await timed(async () => {
      const report = await ingest({
        lake,
        table: TableName.events,
        records: records(),
        mapper,
        deduplicate: false,
      });
      rows = report.rowsWritten;
    });
    return { landed, rows };
  } finally {
    rmSync(lake, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const batches = activityBatches();
  const records = batches.reduce((sum, batch) => sum + batch.length, 0);
  const bytes = batches.reduce((sum, batch) => sum + batch.reduce((s, data) => s + data.length, 0), 0);
  const mapper = createMapper();
  const accepted: Timing[] = [];
  const landed: Timing[] = [];
  const direct: Timing[] = [];
  for (let run = 1; run <= runs; run++) {
    const viaServe = await throughServe(batches, mapper);
    const viaIngest = await throughIngest(batches, mapper);
    if (viaServe.rows !== viaIngest.rows) {
      throw new Error(
        `run ${run}: serve wrote ${viaServe.rows} rows, ingest() ${viaIngest.rows}; they must be equal`,
      );
    }
    accepted.push(viaServe.accepted);
    landed.push(viaServe.landed);
    direct.push(viaIngest.landed);
  }
  const inLake = medianTiming(landed);
  printBenchmark({
    title:
      `serve: ${records.toLocaleString('en-US')} records (${(bytes / 2 ** 20).toFixed(1)} MiB) of generated activity in ` +
      `PutRecordBatch calls of ${batchSize} from ${clients} SDK clients at once, ${runs} runs`,
    clock: 'wall',
    count: records,
    unit: 'records',
    baseline: { label: 'ingest() directly', timing: medianTiming(direct) },
    measured: [
      { label: 'serve, records accepted', timing: medianTiming(accepted) },
      { label: 'serve, records in the lake', timing: inLake },
    ],
    target: {
      label: 'at least 5,000 records/s in the lake through serve',
      met: (records / inLake.wallMs) * 1000 >= 5000,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
