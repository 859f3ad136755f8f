// Writes `<name>.expected.jsonl` beside every well-formed raw record of the corpus: the rows the
// mapper makes of it with the default templates. Run once for a new record (`npm run
// fixtures:expected` in tools/), then review every field of the new file against the data model
// before committing it: the tests compare the mapper with these files, so a wrong row written here
// would be enshrined.
import { writeFileSync } from 'node:fs';
import { CorpusGroup, loadCorpus } from '@engagement-db/corpus';
import { createMapper } from '@engagement-db/mapper';

const mapper = createMapper();
for (const record of loadCorpus()) {
  if (record.group === CorpusGroup.malformed) continue;
  const result = mapper.map(record.table, record.rawText);
  if (!result.ok) {
    process.stderr.write(`${record.name}: ${result.error.kind}: ${result.error.message}\n`);
    process.exitCode = 1;
    continue;
  }
  const expectedPath = `${record.rawPath.slice(0, -'.json'.length)}.expected.jsonl`;
  writeFileSync(expectedPath, result.value.map((row) => JSON.stringify(row)).join('\n') + '\n');
}
