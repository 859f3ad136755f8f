// Detection cost per raw record, against the floor every caller pays anyway: JSON.parse of the record.
// Run: npm run bench (in libs/channel-detectors).
import { generateActivity, measure, printBenchmark } from '@engagement-db/workload';
import { EventSource, detectSource, fanOutWhatsApp, unwrapEnvelope } from './index';

const runs = 9;
const records = generateActivity({ events: 40_000 }).events.map((event) => event.text);

function parseAndDetect(): number {
  let units = 0;
  for (const text of records) {
    const unwrapped = unwrapEnvelope(JSON.parse(text), text);
    if (!unwrapped.ok) continue;
    const source = detectSource(unwrapped.value.event);
    if (source !== EventSource.whatsapp) {
      units += 1;
      continue;
    }
    const fanOut = fanOutWhatsApp(unwrapped.value.event);
    if (fanOut.ok) units += fanOut.value.length;
  }
  return units;
}

async function main(): Promise<void> {
  const parsing = await measure(runs, () => {
    for (const text of records) JSON.parse(text);
  });
  const detecting = await measure(runs, parseAndDetect);
  printBenchmark({
    title: `unwrap, detect and fan out ${records.length.toLocaleString('en-US')} raw events of generated activity, ${runs} runs`,
    clock: 'cpu',
    count: records.length,
    unit: 'records',
    baseline: { label: 'JSON.parse only', timing: parsing },
    measured: [
      {
        label: 'JSON.parse + unwrap + detect + fan-out',
        timing: detecting,
        note: `${parseAndDetect()} units`,
      },
    ],
  });
}

void main();
