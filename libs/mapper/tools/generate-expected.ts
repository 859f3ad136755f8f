// Writes `<name>.expected.jsonl` beside every well-formed raw fixture: the rows the mapper makes of
// it with the default templates. Run once for a new fixture (`npm run fixtures:expected`), then
// review every field of the new file against the data model before committing it: the test compares
// the mapper with these files, so a wrong row written here would be enshrined.
import { writeFileSync } from 'node:fs';
import { createMapper } from '../src/index';
import { loadFixtureCorpus } from '../testing/index';

const mapper = createMapper();
for (const fixture of loadFixtureCorpus()) {
  if (fixture.channel === 'malformed') continue;
  const result =
    fixture.stream === 'events' ? mapper.mapEvent(fixture.rawText) : mapper.mapConversation(fixture.rawText);
  if (!result.ok) {
    process.stderr.write(`${fixture.name}: ${result.failure.kind}: ${result.failure.message}\n`);
    process.exitCode = 1;
    continue;
  }
  const rows: unknown[] = 'events' in result ? result.events : [result.conversation];
  const expectedPath = `${fixture.rawPath.slice(0, -'.json'.length)}.expected.jsonl`;
  writeFileSync(expectedPath, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
}
