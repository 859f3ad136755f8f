// Writes corpus/mixed.jsonl: every well-formed raw event of the corpus (no malformed records, no
// conversations, which belong to the other table) as one compact JSON line each, in path order, the
// way a Firehose backup or an `ingest` input file holds them. Run `npm run fixtures:mixed` in tools/.
import { writeFileSync } from 'node:fs';
import { TableName } from '@engagement-db/canonical-model';
import { CorpusGroup, loadCorpus, mixedEventsPath } from '@engagement-db/corpus';

const events = loadCorpus().filter(
  (record) => record.table === TableName.events && record.group !== CorpusGroup.malformed,
);
const lines = events.map((record) => JSON.stringify(JSON.parse(record.rawText)));
writeFileSync(mixedEventsPath, `${lines.join('\n')}\n`);
process.stdout.write(
  `mixed.jsonl: ${lines.length} events from ${events.map((record) => record.name).join(', ')}\n`,
);
