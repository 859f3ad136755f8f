import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CanonicalRow, TableName } from '@engagement-db/canonical-model';

/**
 * The folders of the corpus, one per source of raw records, plus the records that must fail.
 *
 * @example loadCorpus().filter((c) => c.group === CorpusGroup.whatsapp)
 */
export const CorpusGroup = {
  conversations: 'conversations',
  malformed: 'malformed',
  mms: 'mms',
  ses: 'ses',
  sms: 'sms',
  voice: 'voice',
  whatsapp: 'whatsapp',
} as const;
export type CorpusGroup = (typeof CorpusGroup)[keyof typeof CorpusGroup];

/** One raw record of the corpus with the rows it must map to. */
export interface CorpusCase {
  /** `<group>/<name>`, e.g. `ses/bounce`. */
  readonly name: string;
  readonly group: CorpusGroup;
  /** The table the record is for: `conversations` for the chatbot records, `events` for the rest. */
  readonly table: TableName;
  /** Absolute path of the raw file. */
  readonly rawPath: string;
  readonly rawText: string;
  /** The rows of `<name>.expected.jsonl`; null for the malformed records, which must fail. */
  readonly expected: CanonicalRow[] | null;
}

/**
 * The corpus folder: `<group>/<name>.json` raw records with `<name>.expected.jsonl` beside them, and
 * `mixed.jsonl`. Read it through {@link loadCorpus} and {@link loadMixedEvents}; give paths under it
 * to code that takes files (the command line).
 */
export const corpusDirectory = join(__dirname, '..');

/** `mixed.jsonl`: every well-formed raw event (no conversations), one compact line each, in path order. */
export const mixedEventsPath = join(corpusDirectory, 'mixed.jsonl');

/**
 * Every raw record of the corpus with its expected rows, in path order.
 *
 * @example
 * ```ts
 * it.each(loadCorpus().filter((c) => c.expected !== null).map((c) => [c.name, c]))('maps %s', (_name, c) => {
 *   expect(createMapper().map(c.table, c.rawText)).toEqual({ ok: true, value: c.expected });
 * });
 * ```
 */
export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const group of Object.values(CorpusGroup)) {
    const folder = join(corpusDirectory, group);
    const malformed = group === CorpusGroup.malformed;
    const rawFiles = readdirSync(folder)
      .filter((file) => !file.includes('.expected.') && (file.endsWith('.json') || malformed))
      .sort();
    for (const file of rawFiles) {
      const rawPath = join(folder, file);
      const base = file.slice(0, file.lastIndexOf('.'));
      const expectedPath = join(folder, `${base}.expected.jsonl`);
      cases.push({
        name: `${group}/${base}`,
        group,
        table:
          group === CorpusGroup.conversations || (malformed && base.startsWith('conversation'))
            ? TableName.conversations
            : TableName.events,
        rawPath,
        rawText: readFileSync(rawPath, 'utf8'),
        expected:
          malformed || !existsSync(expectedPath)
            ? null
            : (readLines(expectedPath).map(parse) as CanonicalRow[]),
      });
    }
  }
  return cases;
}

/**
 * The lines of `mixed.jsonl`: every well-formed raw event of the corpus, one compact JSON text each.
 *
 * @example const records = loadMixedEvents().map((text, i) => ({ text, origin: 'mixed.jsonl', line: i + 1 }));
 */
export function loadMixedEvents(): string[] {
  return readLines(mixedEventsPath);
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function parse(line: string): unknown {
  return JSON.parse(line);
}
