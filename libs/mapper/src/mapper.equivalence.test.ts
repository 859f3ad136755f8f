import { join } from 'node:path';
import fc from 'fast-check';
import { type CorpusCase, loadCorpus } from '@engagement-db/corpus';
import { generateActivity } from '@engagement-db/workload';
import { hostileText } from '../test/hostile-text';
import { type CompiledTemplates, TemplateEngine, compileTemplates } from './compile-templates';
import { type EngineComparison, compareEngines } from './engine-comparison';
import { defaultTemplateSources, loadTemplateDirectory } from './template-sources';

// Compiled templates must map every record exactly as velocityjs' interpreter does: rows or failure,
// Result for Result, and each row's JSON line. A record the compiled code does not prove goes to the
// interpreter and agrees by construction, so each property also requires the compiled code to map
// the records it is meant to map by itself.

const events = loadCorpus().filter((fixture) => fixture.table === 'events');
const wellFormed = events.filter((fixture) => fixture.expected !== null);
const testDirectory = join(__dirname, '..', 'test');

const templateSets: [string, CompiledTemplates][] = [
  ['the default templates', compileTemplates(defaultTemplateSources())],
  [
    'the original sample templates',
    compileTemplates(loadTemplateDirectory(join(testDirectory, 'legacy-templates'))),
  ],
  [
    'templates using every construct the compiler knows',
    compileTemplates(loadTemplateDirectory(join(testDirectory, 'compiler-templates'))),
  ],
];

/** What differs, for a failing assertion to show: the record and both results. */
function disagreement(text: string, comparison: EngineComparison) {
  return comparison.agree
    ? undefined
    : { text, compiled: comparison.compiled, interpreted: comparison.interpreted };
}

describe.each(templateSets)('compiled and interpreted mapping with %s', (_name, templates) => {
  const compare = compareEngines(templates, { accountId: '111122223333' });

  it('compiles every template', () => {
    expect(templates.notices).toEqual([]);
    expect(Object.values(templates.templates).map((template) => template.engine)).toEqual(
      Object.values(templates.templates).map(() => TemplateEngine.compiled),
    );
  });

  it('agree on every corpus record, the compiled code mapping the well-formed ones by itself', () => {
    const compared = events.map((fixture) => [fixture, compare(fixture.rawText)] as const);

    expect(compared.map(([fixture, comparison]) => disagreement(fixture.name, comparison))).toEqual(
      compared.map(() => undefined),
    );
    const byItself = compared.filter(([, comparison]) => comparison.engine === TemplateEngine.compiled);
    const interpretedRows = compared.filter(
      ([, comparison]) => comparison.engine === TemplateEngine.interpreted && comparison.interpreted.ok,
    );
    expect(interpretedRows.map(([fixture]) => fixture.name)).toEqual([]);
    expect(byItself.length).toBe(compared.filter(([, comparison]) => comparison.interpreted.ok).length);
  });

  it('agree on generated activity of any day', () => {
    let compiledRows = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        (seed, day) => {
          for (const record of generateActivity({ events: 200, seed, day }).events) {
            const comparison = compare(record.text);
            expect(disagreement(record.text, comparison)).toBeUndefined();
            if (comparison.engine === TemplateEngine.compiled) compiledRows++;
          }
        },
      ),
      { numRuns: 16 },
    );
    expect(compiledRows).toBeGreaterThanOrEqual(16 * 200 * 0.99);
  });

  it('agree on corpus records with one field changed to any value', () => {
    fc.assert(
      fc.property(mutatedRecord, (text) => {
        expect(disagreement(text, compare(text))).toBeUndefined();
      }),
      { numRuns: 1_500 },
    );
  });

  it('agree on records whose every string is hostile', () => {
    fc.assert(
      fc.property(fc.constantFrom(...wellFormed), fc.infiniteStream(hostileText), (fixture, strings) => {
        const text = mapStrings(fixture.rawText, () => strings.next().value as string);
        expect(disagreement(text, compare(text))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

// ---- templates made of every construct the compiler knows -------------------------------------------

const variables = fc.constantFrom('x', 'y', 'z');
const references = fc.constantFrom(
  '$eventType',
  '$mail',
  '$mail.destination',
  '$mail.destination[0]',
  '$mail.destination[1]',
  "$mail['messageId']",
  '$mail.commonHeaders.subject',
  '$mail.tags',
  '$mail.tags.campaign',
  '$mail.nothing.here',
  '$x',
  '$y',
  '$z',
  '$!x',
  '${y}',
  '$!{z}',
  '$mail.destination.size()',
  '$mail.destination.get(0)',
  '$eventType.length()',
  '$eventType.substring(1, 3)',
  '$eventType.toUpperCase()',
  "$eventType.equals('Send')",
  "$mail.get('source')",
  '$mail.keySet()',
  '$jsonTool.toJson($mail.tags)',
  '$jsonTool.toEscapedJson($mail.destination)',
  '$jsonTool.convertTime($mail.timestamp)',
  '$jsonTool.formatSESTags($mail.tags)',
  '$velocityCount',
  '$foreach.index',
  '$foreach.hasNext',
  '$i',
  '$i.length()',
);
const scalars = fc.constantFrom(
  '1',
  '0',
  '-2',
  '2.5',
  '5',
  '"5"',
  '"Send"',
  "'Send'",
  '""',
  'true',
  'false',
  'null',
);
const strings = fc.constantFrom(
  '"a$eventType"',
  '"#if($x)yes#{else}no#end"',
  '"$!y-$mail.destination.size()"',
);
const containers = fc.constantFrom(
  '[1, "a", $eventType]',
  '[]',
  '{"k": 1, "n": $mail.messageId}',
  '{}',
  '[1..3]',
  '[3..1]',
  '[$y..2]',
);
const operators = fc.constantFrom('==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '&&', '||');
const operand = fc.oneof(references, scalars, strings);
const expression: fc.Arbitrary<string> = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    operand,
    fc
      .tuple(operand, operators, tie('expression'))
      .map(([left, operator, right]) => `${left} ${operator} ${right}`),
    operand.map((value) => `!${value}`),
    tie('expression').map((inner) => `(${inner})`),
  ),
})).expression;

/** Directives, and text of `kind` (a JSON string's inside, or members of an object) between them. */
function directives(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.letrec<{ block: string; statement: string }>((tie) => ({
    statement: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc
        .tuple(variables, fc.oneof(expression, containers))
        .map(([name, value]) => `#set($${name} = ${value})`),
      text,
      fc
        .tuple(
          expression,
          tie('block'),
          fc.option(fc.tuple(expression, tie('block'))),
          fc.option(tie('block')),
        )
        .map(
          ([condition, then, elseIf, otherwise]) =>
            `#if(${condition})${then}${elseIf === null ? '' : `#elseif(${elseIf[0]})${elseIf[1]}`}` +
            `${otherwise === null ? '' : `#{else}${otherwise}`}#end`,
        ),
      fc
        .tuple(fc.oneof(references, containers), tie('block'))
        .map(([list, body]) => `#foreach($i in ${list})${body}#end`),
      fc.constant('#break'),
      fc.constant('## a comment\n'),
    ),
    block: fc.array(tie('statement'), { maxLength: 3 }).map((statements) => statements.join('')),
  })).block;
}

const stringInside = directives(
  fc.oneof(references, fc.constantFrom('text', ' ', '\\"', '\\u00e9', '-', '$!{nothing}')),
);
const members = directives(
  fc.oneof(
    fc
      .tuple(fc.constantFrom('"a"', '"A"', '"b"', '"k$i"', '"$x"'), references)
      .map(([key, value]) => `${key}: "${value}", `),
    fc.tuple(fc.constantFrom('"c"', '"n"'), references).map(([key, value]) => `${key}: ${value}, `),
    fc.constant('"d": {"e": [1, true, null]}, '),
  ),
);
const generatedTemplate = fc
  .record({
    prologue: directives(fc.constant('')),
    statusMessage: stringInside,
    statusCode: references,
    channelData: members,
    tags: members,
  })
  .map(
    ({ prologue, statusMessage, statusCode, channelData, tags }) =>
      `${prologue}\n{"channel": "email", "timestamp": 1, "statusMessage": "${statusMessage}", ` +
      `"statusCode": ${statusCode}, "channelData": {${channelData}}, "tags": {${tags}}}`,
  );

describe('compiled and interpreted mapping with generated templates', () => {
  const sesEvents = events.filter((fixture) => fixture.group === 'ses' && parses(fixture.rawText));

  // The fixtures as they are, and with every string hostile (lone surrogates included).
  const records = fc.oneof(
    fc.constantFrom(...sesEvents).map((fixture) => fixture.rawText),
    fc
      .tuple(fc.constantFrom(...sesEvents), fc.infiniteStream(hostileText))
      .map(([fixture, strings]) => mapStrings(fixture.rawText, () => strings.next().value as string)),
  );

  it('agree, whatever the template does with the constructs the compiler knows', () => {
    const tally = { templates: 0, compiledTemplates: 0, renders: 0, compiledRenders: 0 };
    fc.assert(
      fc.property(generatedTemplate, fc.array(records, { minLength: 1, maxLength: 3 }), (template, texts) => {
        let templates: CompiledTemplates;
        try {
          templates = compileTemplates({ ...defaultTemplateSources(), ses: template });
        } catch {
          return; // velocityjs cannot parse it: refused before any render
        }
        tally.templates++;
        if (templates.notices.length === 0) tally.compiledTemplates++;
        const compare = compareEngines(templates);
        for (const text of texts) {
          const comparison = compare(text);
          expect(disagreement(text, comparison)).toBeUndefined();
          tally.renders++;
          if (comparison.engine === TemplateEngine.compiled) tally.compiledRenders++;
        }
      }),
      { numRuns: 600 },
    );
    // Most templates compile, and most renders give rows the compiled code made by itself.
    expect(tally.compiledTemplates).toBeGreaterThan(tally.templates * 0.8);
    expect(tally.compiledRenders).toBeGreaterThan(tally.renders / 3);
  });
});

describe('compiled and interpreted expressions', () => {
  // Every kind of value a template holds: numbers and their text, booleans, null, text, a map, a
  // list, nothing, a helper's result.
  const operandsOfEveryKind = [
    '1',
    '0',
    '-2',
    '2.5',
    '"1"',
    '"0"',
    '"2.5"',
    '""',
    '"Send"',
    'true',
    'false',
    'null',
    '$mail',
    '$mail.destination',
    '$mail.nothing',
    '$jsonTool.toJson($mail.tags)',
  ];
  const fixture = wellFormed.find((c) => c.name === 'ses/delivery') ?? wellFormed[0];

  /** Both engines' mapping of the fixture with an SES template whose statusMessage is `results`. */
  function compareWith(results: string): EngineComparison {
    const template = `{"channel": "email", "timestamp": 1, "statusMessage": "${results}"}`;
    return compareEngines(compileTemplates({ ...defaultTemplateSources(), ses: template }))(fixture.rawText);
  }

  it.each(['==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '&&', '||'])(
    'agree on %s over every pair of kinds of value',
    (operator) => {
      const results = operandsOfEveryKind
        .flatMap((left) => operandsOfEveryKind.map((right) => `#set($r = ${left} ${operator} ${right})$!r|`))
        .join('');

      const comparison = compareWith(results);

      expect(disagreement(fixture.name, comparison)).toBeUndefined();
      expect(comparison.engine).toBe(TemplateEngine.compiled);
    },
  );

  it('agree on !, - and parentheses over every kind of value', () => {
    const results = operandsOfEveryKind
      .map((operand) => `#set($r = !${operand})$!r|#set($r = -(${operand}))$!r|#set($r = (${operand}))$!r|`)
      .join('');

    const comparison = compareWith(results);

    expect(disagreement(fixture.name, comparison)).toBeUndefined();
    expect(comparison.engine).toBe(TemplateEngine.compiled);
  });
});

// ---- records changed one field at a time -----------------------------------------------------------

/** A JSON document where strings that hold a JSON object or array (an SNS Message, a WhatsApp entry) are documents too. */
type Tree = unknown;

const nested = Symbol('nested JSON text');

function treeOf(value: unknown): Tree {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return { [nested]: treeOf(JSON.parse(value)) };
      } catch {
        return value;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(treeOf);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, treeOf(item)]));
  return value;
}

function valueOf(tree: Tree): unknown {
  if (typeof tree !== 'object' || tree === null) return tree;
  if (nested in tree) return JSON.stringify(valueOf((tree as { [nested]: Tree })[nested]));
  if (Array.isArray(tree)) return tree.map(valueOf);
  return Object.fromEntries(Object.entries(tree).map(([key, item]) => [key, valueOf(item)]));
}

/** Every place in a tree a value can be put: [container, key]. */
function placesOf(tree: Tree, places: [Record<string | number, Tree>, string | number][] = []) {
  if (typeof tree !== 'object' || tree === null) return places;
  if (nested in tree) return placesOf((tree as { [nested]: Tree })[nested], places);
  for (const key of Object.keys(tree)) {
    const container = tree as Record<string | number, Tree>;
    places.push([container, Array.isArray(tree) ? Number(key) : key]);
    placesOf(container[key], places);
  }
  return places;
}

const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  hostileText,
  fc.constantFrom(
    null,
    '',
    0,
    -1,
    1.5,
    1e21,
    9_999_999_999,
    2 ** 53,
    true,
    false,
    [],
    {},
    'Bounce',
    'TEXT_X',
  ),
  fc.constant(undefined), // the field removed
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const mutatedRecord: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...events.filter((fixture) => parses(fixture.rawText))), fc.nat(), replacement)
  .map(([fixture, pick, value]: [CorpusCase, number, unknown]) => {
    const tree = treeOf(JSON.parse(fixture.rawText));
    const places = placesOf(tree);
    if (places.length === 0) return fixture.rawText;
    const [container, key] = places[pick % places.length];
    if (value === undefined && !Array.isArray(container)) delete container[key];
    else container[key] = value;
    return JSON.stringify(valueOf(tree));
  });

/** The record with every string (nested JSON text included, keys not) replaced by `next()`. */
function mapStrings(rawText: string, next: () => string): string {
  const replace = (tree: Tree): Tree => {
    if (typeof tree === 'string') return next();
    if (typeof tree !== 'object' || tree === null) return tree;
    if (nested in tree) return { [nested]: replace((tree as { [nested]: Tree })[nested]) };
    if (Array.isArray(tree)) return tree.map(replace);
    return Object.fromEntries(Object.entries(tree).map(([key, item]) => [key, replace(item)]));
  };
  return JSON.stringify(valueOf(replace(treeOf(JSON.parse(rawText)))));
}
