import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CanonicalConversation, CanonicalEvent } from '@engagement-db/canonical-model';

/**
 * One raw record of the fixture corpus with the rows it must map to.
 *
 * @example const bounce: FixtureCase | undefined = loadFixtureCorpus().find((c) => c.name === 'ses/bounce');
 */
export interface FixtureCase {
  /** `<group>/<name>`, e.g. `ses/bounce`. */
  readonly name: string;
  /** The group folder: ses, sms, mms, voice, whatsapp, conversations or malformed. */
  readonly channel: string;
  /** Absolute path of the raw file. */
  readonly rawPath: string;
  readonly rawText: string;
  /** The rows of `<name>.expected.jsonl` (conversation records for the conversations stream); null for malformed input. */
  readonly expected: CanonicalEvent[] | CanonicalConversation[] | null;
  /** The delivery stream the record belongs to. */
  readonly stream: 'events' | 'conversations';
}

/**
 * The folder holding the corpus: `<group>/<name>.json` raw events, `<name>.expected.jsonl` beside them.
 *
 * @example join(fixturesDirectory, 'mixed.jsonl') // every well-formed event, one per line
 */
export const fixturesDirectory = join(__dirname, '..', 'fixtures');

/**
 * Every raw record of the fixture corpus with its expected rows, in path order.
 *
 * @example
 * ```ts
 * it.each(loadFixtureCorpus().filter((c) => c.expected !== null).map((c) => [c.name, c]))('maps %s', (_name, c) => {
 *   expect(createMapper().mapEvent(c.rawText)).toMatchObject({ ok: true, events: c.expected });
 * });
 * ```
 */
export function loadFixtureCorpus(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  const groups = readdirSync(fixturesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const group of groups) {
    const folder = join(fixturesDirectory, group);
    const rawFiles = readdirSync(folder)
      .filter((file) => !file.includes('.expected.') && (file.endsWith('.json') || group === 'malformed'))
      .sort();
    for (const file of rawFiles) {
      const rawPath = join(folder, file);
      const base = file.slice(0, file.lastIndexOf('.'));
      const malformed = group === 'malformed';
      const expectedPath = join(folder, `${base}.expected.jsonl`);
      cases.push({
        name: relative(fixturesDirectory, join(folder, base)),
        channel: group,
        rawPath,
        rawText: readFileSync(rawPath, 'utf8'),
        expected:
          malformed || !existsSync(expectedPath)
            ? null
            : (readJsonLines(expectedPath) as CanonicalEvent[] | CanonicalConversation[]),
        stream:
          group === 'conversations' || (malformed && base.startsWith('conversation'))
            ? 'conversations'
            : 'events',
      });
    }
  }
  return cases;
}

function readJsonLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): unknown => JSON.parse(line));
}
