import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { whatsAppStatusesEvent } from '../test/whatsapp-statuses-event';
import { createMapper } from './mapper';

// Maps the mixed fixture corpus, repeated to at least 20,000 records, and compares the rate with bare
// JSON.parse + JSON.stringify of the same records: the floor any mapper that reads its input must pay.
const minimumRecords = 20_000;
const runs = 7;

const lines = readFileSync(join(__dirname, '..', 'fixtures', 'mixed.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const records: string[] = [];
while (records.length < minimumRecords) records.push(...lines);

const mapper = createMapper({ accountId: '111122223333' });

// CPU time of this process, not wall time: the rate on one core stays comparable on a busy machine.
function recordsPerSecond(work: (record: string) => unknown): number {
  const started = process.cpuUsage();
  for (const record of records) work(record);
  const used = process.cpuUsage(started);
  return records.length / ((used.user + used.system) / 1e6);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

let failures = 0;
const mapRecord = (record: string) => {
  const result = mapper.mapEvent(record);
  if (!result.ok) failures++;
  return result;
};
const parseAndStringify = (record: string) => JSON.stringify(JSON.parse(record));

// One warm-up run of each, so that both are measured compiled by the JIT.
recordsPerSecond(mapRecord);
recordsPerSecond(parseAndStringify);
failures = 0;

const mapped: number[] = [];
const baseline: number[] = [];
for (let run = 0; run < runs; run++) {
  mapped.push(recordsPerSecond(mapRecord));
  baseline.push(recordsPerSecond(parseAndStringify));
}

const mapperRate = median(mapped);
const baselineRate = median(baseline);
const target = 15_000;

// One WhatsApp entry of 10,000 statuses: its rows must stay linear in the entry (each holds its own
// status), so mapping it takes well under a second.
const statuses = 10_000;
const entryRecord = JSON.stringify(whatsAppStatusesEvent(statuses));
function cpuMillis(work: () => unknown): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
let entryRows = 0;
const mapEntry = () => {
  const result = mapper.mapEvent(entryRecord);
  entryRows = result.ok ? result.events.length : -1;
};
const entryBaseline = () => JSON.stringify(JSON.parse(entryRecord));
cpuMillis(mapEntry);
const entryMillis = median(Array.from({ length: runs }, () => cpuMillis(mapEntry)));
const entryBaselineMillis = median(Array.from({ length: runs }, () => cpuMillis(entryBaseline)));
const entryTarget = 1_000;

process.stdout.write(
  [
    `records per run:                ${records.length} (mixed.jsonl x ${Math.ceil(records.length / lines.length)}), ${runs} runs, failures ${failures}`,
    `mapEvent (median):              ${Math.round(mapperRate).toLocaleString('en-US')} records/s (CPU time)`,
    `JSON.parse+stringify (median):  ${Math.round(baselineRate).toLocaleString('en-US')} records/s`,
    `ratio mapEvent / baseline:      ${(mapperRate / baselineRate).toFixed(3)}`,
    `target ${target.toLocaleString('en-US')} records/s:          ${mapperRate >= target ? 'met' : 'NOT met'}`,
    `WhatsApp entry of ${statuses.toLocaleString('en-US')} statuses (${(entryRecord.length / 2 ** 20).toFixed(1)} MiB), ${entryRows} rows:`,
    `  mapEvent (median):            ${entryMillis.toFixed(0)} ms (CPU time)`,
    `  JSON.parse+stringify (median): ${entryBaselineMillis.toFixed(0)} ms, ratio ${(entryMillis / entryBaselineMillis).toFixed(1)}`,
    `  target under ${entryTarget} ms:          ${entryMillis < entryTarget ? 'met' : 'NOT met'}`,
  ].join('\n') + '\n',
);
