// Maps 20,000 raw events of generated activity (every channel) and compares the rate with bare
// JSON.parse + JSON.stringify of the same records: the floor any mapper that reads its input must pay.
// Then maps one WhatsApp entry of 10,000 statuses, whose rows must stay linear in the entry.
import { TableName } from '@engagement-db/canonical-model';
import { generateActivity, measure, printBenchmark } from '@engagement-db/workload';
import { whatsAppStatusesEvent } from '../test/whatsapp-statuses-event';
import { createMapper } from './mapper';

const records = generateActivity({ events: 20_000 }).events.map((event) => event.text);
const runs = 7;
const target = 15_000;
const mapper = createMapper({ accountId: '111122223333' });

async function main(): Promise<void> {
  let failures = 0;
  const mapping = await measure(runs, () => {
    failures = 0;
    for (const record of records) if (!mapper.map(TableName.events, record).ok) failures += 1;
  });
  const parsing = await measure(runs, () => {
    for (const record of records) JSON.stringify(JSON.parse(record));
  });
  printBenchmark({
    title: `map ${records.length.toLocaleString('en-US')} raw events of generated activity, ${runs} runs`,
    clock: 'cpu',
    count: records.length,
    unit: 'records',
    baseline: { label: 'JSON.parse + JSON.stringify', timing: parsing },
    measured: [{ label: 'mapper.map', timing: mapping, note: `${failures} failures` }],
    target: {
      label: `${target.toLocaleString('en-US')} records/s`,
      met: (records.length / mapping.cpuMs) * 1000 >= target,
    },
  });

  // One WhatsApp entry of 10,000 statuses: each row holds its own status, so mapping it takes well
  // under a second.
  const statuses = 10_000;
  const entryRecord = JSON.stringify(whatsAppStatusesEvent(statuses));
  let entryRows = 0;
  const entry = await measure(runs, () => {
    const result = mapper.map(TableName.events, entryRecord);
    entryRows = result.ok ? result.value.length : -1;
  });
  const entryParsing = await measure(runs, () => JSON.stringify(JSON.parse(entryRecord)));
  const entryTargetMs = 1_000;
  printBenchmark({
    title: `map one WhatsApp entry of ${statuses.toLocaleString('en-US')} statuses (${(entryRecord.length / 2 ** 20).toFixed(1)} MiB), ${runs} runs`,
    clock: 'cpu',
    baseline: { label: 'JSON.parse + JSON.stringify', timing: entryParsing },
    measured: [{ label: 'mapper.map', timing: entry, note: `${entryRows} rows` }],
    target: {
      label: `under ${entryTargetMs} ms`,
      met: entry.cpuMs < entryTargetMs && entryRows === statuses,
    },
  });
}

void main();
