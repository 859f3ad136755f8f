// The one place the ingestion tests read the raw-event corpus and the canonical model's time helpers.
import { partitionHourOf, partitionPathOf } from '@engagement-db/canonical-model';
import { type CorpusCase, loadCorpus } from '@engagement-db/corpus';

/** The raw events of the corpus that go to the events stream, malformed ones included. */
export function eventFixtures(): CorpusCase[] {
  return loadCorpus().filter((fixture) => fixture.table === 'events');
}

/** The conversation records of the corpus that map to rows. */
export function conversationFixtures(): CorpusCase[] {
  return loadCorpus().filter((fixture) => fixture.table === 'conversations' && fixture.expected !== null);
}

/** The hour folder `YYYY/MM/DD/HH` the lake puts a timestamp in. */
export const hourFolderOf = partitionPathOf;

/** The `year`, `month`, `day`, `hour` partition keys of a timestamp. */
export const hourPartsOf = partitionHourOf;

export type { CorpusCase };
