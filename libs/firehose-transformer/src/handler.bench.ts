// A 6 MB Firehose batch of raw events of generated activity (every channel) through the transformer,
// with compiled templates and with the interpreter, against the compiled mapper alone on the same
// records: the handler adds base64 both ways and the rows' JSON lines. Rates by CPU time (medians),
// as the machine may be busy; `npm run bench` runs it bundled, as the Lambda ships.
import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { TableName, canonicalTables } from '@engagement-db/canonical-model';
import { TemplateEngine, createMapper } from '@engagement-db/mapper';
import { type Timing, generateActivity, measure, printBenchmark } from '@engagement-db/workload';
import { createTransformer } from './transformer';

const batchBytes = 6 * 1024 * 1024;
const runs = 9;
const targetMs = 150;

/** Raw events of generated activity, every channel, up to 6 MB. */
function batchTexts(): string[] {
  const texts: string[] = [];
  let bytes = 0;
  for (const event of generateActivity({ events: 20_000 }).events) {
    if (bytes >= batchBytes) break;
    texts.push(event.text);
    bytes += Buffer.byteLength(event.text);
  }
  return texts;
}

async function main(): Promise<void> {
  const texts = batchTexts();
  const event: FirehoseTransformationEvent = {
    invocationId: 'bench',
    deliveryStreamArn: `arn:aws:firehose:us-east-1:111122223333:deliverystream/${canonicalTables.events.deliveryStreamName}`,
    region: 'us-east-1',
    records: texts.map((text, i) => ({
      recordId: String(i),
      approximateArrivalTimestamp: 0,
      data: Buffer.from(text).toString('base64'),
    })),
  };
  const mapper = createMapper();
  const compiled = createTransformer();
  const interpreted = createTransformer({ engine: TemplateEngine.interpreted });
  let response: FirehoseTransformationResult = { records: [] };
  // The handler's own log and metric lines are kept off the report.
  const [stdout, stderr] = [process.stdout.write, process.stderr.write];
  process.stdout.write = process.stderr.write = () => true;
  let mapping: Timing;
  let handling: Timing;
  let reference: Timing;
  try {
    mapping = await measure(runs, () => texts.forEach((text) => mapper.map(TableName.events, text)));
    handling = await measure(runs, async () => {
      response = await compiled(event);
    });
    reference = await measure(runs, () => interpreted(event));
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const rawBytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const notOk = response.records.filter((r) => r.result !== 'Ok').length;
  printBenchmark({
    title:
      `a batch of ${texts.length} records of generated activity, ${megabytes(rawBytes)} MB of events, ` +
      `${megabytes(Buffer.byteLength(JSON.stringify(event)))} MB Firehose event, ` +
      `${megabytes(Buffer.byteLength(JSON.stringify(response)))} MB response, ${runs} runs`,
    clock: 'cpu',
    count: texts.length,
    unit: 'records',
    baseline: { label: 'compiled mapper alone', timing: mapping },
    measured: [
      { label: 'handler, interpreted templates', timing: reference },
      {
        label: 'handler, compiled templates',
        timing: handling,
        note: `${notOk} records not Ok (Dropped or failed)`,
      },
    ],
    target: {
      label: `the batch in ${targetMs} ms of CPU or less`,
      met: handling.cpuMs <= targetMs && notOk === 0,
    },
  });
}

void main();
