// Detection cost per raw record, against the floor every caller pays anyway: JSON.parse of the record.
// Run: npm run bench (in libs/channel-detectors).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventSource, detectSource, fanOutWhatsApp, unwrapEnvelope } from './index';

const runs = 9;
const copies = 1_000;
const corpusLines = readFileSync(join(__dirname, '..', '..', 'mapper', 'fixtures', 'mixed.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '');
const records = Array.from({ length: copies }, () => corpusLines).flat();

function parseOnly(): number {
  let objects = 0;
  for (const text of records) if (typeof JSON.parse(text) === 'object') objects += 1;
  return objects;
}

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
    if (fanOut.ok) units += fanOut.units.length;
  }
  return units;
}

function medianMillis(work: () => number): { median: number; result: number } {
  let result = work(); // warm-up
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    result = work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] ?? Number.NaN, result };
}

const baseline = medianMillis(parseOnly);
const measured = medianMillis(parseAndDetect);
const perSecond = (millis: number) => Math.round(records.length / (millis / 1000)).toLocaleString('en-US');

console.log(`${records.length} raw records (mixed.jsonl x ${copies}), median of ${runs} runs`);
console.log(
  `baseline  JSON.parse only                        ${baseline.median.toFixed(1)} ms  ${perSecond(baseline.median)} records/s`,
);
console.log(
  `measured  JSON.parse + unwrap + detect + fan-out  ${measured.median.toFixed(1)} ms  ${perSecond(measured.median)} records/s  (${measured.result} units)`,
);
console.log(`ratio     ${(measured.median / baseline.median).toFixed(2)}x the parse alone`);
