import { readdirSync } from 'node:fs';
import { TableName } from '@engagement-db/canonical-model';
import { CorpusGroup, corpusDirectory, loadCorpus, loadMixedEvents } from './load-corpus';

const corpus = loadCorpus();

describe('loadCorpus', () => {
  it('reads every folder of the corpus, each a known group', () => {
    const folders = readdirSync(corpusDirectory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !['src', 'dist', 'node_modules'].includes(entry.name))
      .map((entry) => entry.name);

    expect(folders.sort()).toEqual(Object.values(CorpusGroup).sort());
    expect(new Set(corpus.map((c) => c.group))).toEqual(new Set(Object.values(CorpusGroup)));
  });

  it('gives every well-formed record its expected rows and every malformed one none', () => {
    const wellFormed = corpus.filter((c) => c.group !== CorpusGroup.malformed);

    expect(wellFormed.every((c) => Array.isArray(c.expected) && c.expected.length > 0)).toBe(true);
    expect(corpus.filter((c) => c.group === CorpusGroup.malformed).map((c) => c.expected)).toEqual(
      expect.arrayContaining([null]),
    );
    expect(corpus.find((c) => c.name === 'whatsapp/two-statuses')?.expected).toHaveLength(2);
  });

  it('puts the chatbot records, malformed ones included, on the conversations table', () => {
    const conversations = corpus.filter((c) => c.table === TableName.conversations).map((c) => c.name);

    expect(conversations).toEqual([
      'conversations/conversation-event',
      'conversations/outbound-bedrockkb',
      'conversations/outbound-llm',
      'malformed/conversation-wrong-types',
    ]);
  });

  it('names each case by its group and file, in path order', () => {
    const names = corpus.map((c) => c.name);
    const paths = corpus.map((c) => c.rawPath);

    expect(names).toContain('ses/bounce');
    expect(names).toContain('malformed/broken-json');
    expect(paths).toEqual([...paths].sort());
  });
});

describe('loadMixedEvents', () => {
  it('reads one compact raw event per line', () => {
    const lines = loadMixedEvents();

    expect(lines.length).toBe(
      corpus.filter((c) => c.table === TableName.events && c.expected !== null).length,
    );
    expect(lines.every((line) => !line.includes('\n') && typeof JSON.parse(line) === 'object')).toBe(true);
  });
});
