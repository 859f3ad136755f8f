// Maps 20,000 raw events of generated activity (every channel) with the compiled templates and with
// the interpreter, and compares each rate with bare JSON.parse + JSON.stringify of the same records:
// the floor any mapper that reads its input and writes its output must pay. Then the same per
// channel, and one WhatsApp entry of 10,000 statuses, whose rows must stay linear in the entry.
// Rates are by CPU time (medians), as the machine may be busy with other work.
import { TableName } from '@engagement-db/canonical-model';
import { type Timing, generateActivity, measure, printBenchmark } from '@engagement-db/workload';
import { whatsAppStatusesEvent } from '../test/whatsapp-statuses-event';
import { TemplateEngine } from './compile-templates';
import { type Mapper, createMapper } from './mapper';

const runs = 9;
const mixedTarget = { recordsPerSecond: 80_000, ofFloor: 0.5 };
const channelTarget = { ofFloor: 0.4 };
const compiled = createMapper({ accountId: '111122223333' });
const interpreted = createMapper({ accountId: '111122223333', engine: TemplateEngine.interpreted });

const records = generateActivity({ events: 20_000 }).events.map((event) => event.text);
const channels = ['email', 'text', 'media', 'voice', 'whatsapp'] as const;
const byChannel = new Map<string, string[]>(channels.map((channel) => [channel, []]));
for (const record of records) {
  const result = compiled.map(TableName.events, record);
  if (result.ok) byChannel.get(result.value[0].channel)?.push(record);
}

function mapAll(mapper: Mapper, texts: readonly string[]): number {
  let failures = 0;
  for (const text of texts) if (!mapper.map(TableName.events, text).ok) failures += 1;
  return failures;
}

function lineAll(mapper: Mapper, texts: readonly string[]): void {
  for (const text of texts) mapper.mapLines(TableName.events, text);
}

function floorOf(texts: readonly string[]): void {
  for (const text of texts) JSON.stringify(JSON.parse(text));
}

const ofFloor = (floor: Timing, timing: Timing) => floor.cpuMs / timing.cpuMs;

/** The lines of both engines, each with its rate as a share of the floor's. */
function engineLines(floor: Timing, interpretedMap: Timing, compiledMap: Timing, note = '') {
  return [
    {
      label: 'interpreted map',
      timing: interpretedMap,
      note: `${ofFloor(floor, interpretedMap).toFixed(2)} of the floor's rate`,
    },
    {
      label: 'compiled map',
      timing: compiledMap,
      note: `${ofFloor(floor, compiledMap).toFixed(2)} of the floor's rate${note}`,
    },
  ];
}

async function main(): Promise<void> {
  // Every path warm before anything is timed, so no measurement pays for another's compilation.
  for (let i = 0; i < 3; i++) {
    mapAll(compiled, records);
    lineAll(compiled, records);
    mapAll(interpreted, records);
    floorOf(records);
  }

  let failures = 0;
  const floor = await measure(runs, () => floorOf(records));
  const mapping = await measure(runs, () => (failures = mapAll(compiled, records)));
  const lines = await measure(runs, () => lineAll(compiled, records));
  const reference = await measure(runs, () => mapAll(interpreted, records));
  const rate = (records.length / mapping.cpuMs) * 1000;
  printBenchmark({
    title: `map ${records.length.toLocaleString('en-US')} raw events of generated activity (every channel), ${runs} runs`,
    clock: 'cpu',
    count: records.length,
    unit: 'records',
    baseline: { label: 'JSON.parse + JSON.stringify', timing: floor },
    measured: [
      ...engineLines(
        floor,
        reference,
        mapping,
        `, ${(reference.cpuMs / mapping.cpuMs).toFixed(1)}x the interpreter's, ${failures} failures`,
      ),
      {
        label: 'compiled mapLines',
        timing: lines,
        note: `${ofFloor(floor, lines).toFixed(2)} of the floor's rate (rows as JSON lines)`,
      },
    ],
    target: {
      label: `compiled map ${mixedTarget.recordsPerSecond.toLocaleString('en-US')} records/s and ${mixedTarget.ofFloor} of the floor's rate`,
      met:
        rate >= mixedTarget.recordsPerSecond &&
        ofFloor(floor, mapping) >= mixedTarget.ofFloor &&
        failures === 0,
    },
  });

  for (const channel of channels) {
    const texts = byChannel.get(channel) ?? [];
    const channelFloor = await measure(runs, () => floorOf(texts));
    const channelMapping = await measure(runs, () => mapAll(compiled, texts));
    const channelReference = await measure(runs, () => mapAll(interpreted, texts));
    printBenchmark({
      title: `map the ${texts.length.toLocaleString('en-US')} ${channel} events of that activity, ${runs} runs`,
      clock: 'cpu',
      count: texts.length,
      unit: 'records',
      baseline: { label: 'JSON.parse + JSON.stringify', timing: channelFloor },
      measured: engineLines(channelFloor, channelReference, channelMapping),
      target: {
        label: `compiled map ${channelTarget.ofFloor} of the floor's rate`,
        met: ofFloor(channelFloor, channelMapping) >= channelTarget.ofFloor,
      },
    });
  }

  // One WhatsApp entry of 10,000 statuses: each row holds its own status, so mapping it takes well
  // under a second.
  const statuses = 10_000;
  const entryRecord = JSON.stringify(whatsAppStatusesEvent(statuses));
  let entryRows = 0;
  const entry = await measure(runs, () => {
    const result = compiled.map(TableName.events, entryRecord);
    entryRows = result.ok ? result.value.length : -1;
  });
  const entryReference = await measure(3, () => interpreted.map(TableName.events, entryRecord));
  const entryParsing = await measure(runs, () => JSON.stringify(JSON.parse(entryRecord)));
  const entryTargetMs = 1_000;
  printBenchmark({
    title: `map one WhatsApp entry of ${statuses.toLocaleString('en-US')} statuses (${(entryRecord.length / 2 ** 20).toFixed(1)} MiB), ${runs} runs`,
    clock: 'cpu',
    baseline: { label: 'JSON.parse + JSON.stringify', timing: entryParsing },
    measured: [
      { label: 'interpreted map', timing: entryReference },
      { label: 'compiled map', timing: entry, note: `${entryRows} rows` },
    ],
    target: {
      label: `compiled map under ${entryTargetMs} ms`,
      met: entry.cpuMs < entryTargetMs && entryRows === statuses,
    },
  });
}

void main();
