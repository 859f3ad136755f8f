import { TableName } from '@engagement-db/canonical-model';
import { loadCorpus } from '@engagement-db/corpus';
import { createMapper } from '@engagement-db/mapper';
import { generateActivity } from '@engagement-db/workload';
import { batchMapperOf } from './mapped-batch';

const mapper = createMapper({ accountId: '111122223333' });
const activity = generateActivity({ events: 2_000, day: new Date(Date.UTC(2025, 2, 15)) });

describe('batchMapperOf', () => {
  it.each([
    [
      TableName.events,
      [
        ...loadCorpus()
          .filter((c) => c.table === TableName.events)
          .map((c) => c.rawText),
        ...activity.events.map((e) => e.text),
      ],
    ],
    [
      TableName.conversations,
      [
        ...loadCorpus()
          .filter((c) => c.table === TableName.conversations)
          .map((c) => c.rawText),
        ...activity.conversations.map((c) => c.text),
      ],
    ],
  ])('spools the %s rows as JSON.stringify writes the rows the mapper gives', (table, texts) => {
    const results = texts.map((text) => mapper.map(table, text));
    const rows = results.flatMap((result) => (result.ok ? result.value : []));

    const batch = batchMapperOf(mapper, table)(texts);

    expect(Buffer.from(batch.text).toString('utf8')).toBe(
      rows.map((row) => `${JSON.stringify(row)}\n`).join(''),
    );
    expect(batch.rowCounts).toEqual(results.map((result) => (result.ok ? result.value.length : -1)));
    expect(batch.failures).toEqual(results.flatMap((result) => (result.ok ? [] : [result.error])));
    expect(batch.rowEnds).toHaveLength(rows.length);
    expect(rows.length).toBeGreaterThan(texts.length / 2);
  });
});
