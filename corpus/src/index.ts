export { CorpusGroup, corpusDirectory, loadCorpus, loadMixedEvents, mixedEventsPath } from './load-corpus';
export type { CorpusCase } from './load-corpus';
