// Throughput of the transformer on a 6 MB batch of SES events, against the mapper alone on the same
// records: the ratio is what base64, row serialisation, logging and metrics add to the mapping.
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { compileTemplates, createMapper, defaultTemplateSources } from '@engagement-db/mapper';
import { loadFixtureCorpus } from '@engagement-db/mapper/testing';
import { createTransformer } from './transformer';

const batchBytes = 6 * 1024 * 1024;
const runs = 7;

function sesBatch(): string[] {
  const ses = loadFixtureCorpus().filter(
    (c) => c.stream === 'events' && c.channel === 'ses' && c.expected !== null,
  );
  const texts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < batchBytes; i++) {
    const event = JSON.parse(ses[i % ses.length].rawText) as Record<string, unknown>;
    const mail = (event.mail ?? (event.detail as Record<string, unknown> | undefined)?.mail) as
      Record<string, unknown> | undefined;
    if (mail) mail.messageId = `0100019594a9e5a6-${i.toString(16).padStart(8, '0')}-bench-000000`;
    const text = JSON.stringify(event);
    texts.push(text);
    bytes += Buffer.byteLength(text);
  }
  return texts;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(act: () => unknown): Promise<number> {
  const started = performance.now();
  await act();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const texts = sesBatch();
  const event: FirehoseTransformationEvent = {
    invocationId: 'bench',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/engagementdb-events',
    region: 'us-east-1',
    records: texts.map((text, i) => ({
      recordId: String(i),
      approximateArrivalTimestamp: 0,
      data: Buffer.from(text).toString('base64'),
    })),
  };
  const mapper = createMapper({ templates: compileTemplates(defaultTemplateSources()) });
  const transform = createTransformer();
  const mapperTimes: number[] = [];
  const handlerTimes: number[] = [];
  let response: FirehoseTransformationResult = { records: [] };
  // The handler's own log and metric lines are kept off the report.
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = process.stderr.write = () => true;
  try {
    // One unmeasured round first, so both sides run compiled code.
    for (let run = -1; run < runs; run++) {
      const mapperMs = await timed(() => texts.forEach((text) => mapper.mapEvent(text)));
      const handlerMs = await timed(async () => {
        response = await transform(event);
      });
      if (run >= 0) {
        mapperTimes.push(mapperMs);
        handlerTimes.push(handlerMs);
      }
    }
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  const mapperMs = median(mapperTimes);
  const handlerMs = median(handlerTimes);
  const perSecond = (ms: number) => Math.round((texts.length / ms) * 1000).toLocaleString('en-US');
  const failed = response.records.filter((r) => r.result !== 'Ok').length;
  const responseBytes = Buffer.byteLength(JSON.stringify(response));
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const rawBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  console.log(
    `batch: ${texts.length} SES records, ${megabytes(rawBytes)} MB of events, ${megabytes(Buffer.byteLength(JSON.stringify(event)))} MB ` +
      `Firehose event, ${megabytes(responseBytes)} MB response, ${failed} not Ok; median of ${runs} runs`,
  );
  console.log(
    `mapper alone : ${mapperMs.toFixed(0).padStart(5)} ms  ${perSecond(mapperMs).padStart(9)} records/s (baseline)`,
  );
  console.log(
    `handler      : ${handlerMs.toFixed(0).padStart(5)} ms  ${perSecond(handlerMs).padStart(9)} records/s  ratio ${(handlerMs / mapperMs).toFixed(2)}x the mapper`,
  );
  console.log(`target: the batch in under 1000 ms: ${handlerMs < 1000 ? 'met' : 'NOT met'}`);
}

void main();
