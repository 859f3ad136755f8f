import fc from 'fast-check';
import { javascriptNames } from '../test/javascript-names';
import { TemplateEngine, compileTemplates } from './compile-templates';
import { compareEngines } from './engine-comparison';
import { TemplateCompileError } from './errors';
import { createMapper } from './mapper';
import { MappingFailureKind } from './mapping-failure';
import { defaultTemplateSources } from './template-sources';

// A template may read the event's data and call the documented helpers and a few string, list and
// map methods; nothing it writes may reach JavaScript: no Function, no prototype, no global. A canary
// global and canary getters on the built-in prototypes record any touch; Function bodies in these
// templates read the canary, so a template that managed to make a function and run it would be seen.

const canary = '__templateCanary';
const touches: string[] = [];
const watchedPrototypes: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Function.prototype', Function.prototype],
  ['Array.prototype', Array.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
];

function snapshotOf(target: object): Map<string | symbol, PropertyDescriptor | undefined> {
  return new Map(Reflect.ownKeys(target).map((key) => [key, Object.getOwnPropertyDescriptor(target, key)]));
}

let prototypesBefore: Map<string | symbol, PropertyDescriptor | undefined>[];

beforeEach(() => {
  touches.length = 0;
});

beforeAll(() => {
  Object.defineProperty(globalThis, canary, {
    configurable: true,
    get: () => (touches.push('globalThis'), 'canary'),
    set: () => touches.push('globalThis (set)'),
  });
  for (const [name, prototype] of watchedPrototypes) {
    Object.defineProperty(prototype, canary, {
      configurable: true,
      get: () => (touches.push(name), 'canary'),
      set: () => touches.push(`${name} (set)`),
    });
  }
  prototypesBefore = watchedPrototypes.map(([, prototype]) => snapshotOf(prototype));
});

afterAll(() => {
  delete (globalThis as Record<string, unknown>)[canary];
  for (const [, prototype] of watchedPrototypes) delete (prototype as Record<string, unknown>)[canary];
});

function expectNothingEscaped(): void {
  expect(touches).toEqual([]);
  watchedPrototypes.forEach(([, prototype], i) => expect(snapshotOf(prototype)).toEqual(prototypesBefore[i]));
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const event = JSON.stringify({
  eventType: 'Send',
  mail: {
    timestamp: '2025-03-14T15:09:26.017Z',
    messageId: 'm-1',
    destination: ['jane@example.net'],
    tags: { campaign: ['spring'] },
    commonHeaders: { subject: 'Hello' },
  },
  send: {},
});

// Every test runs with the templates compiled to JavaScript (the mapper's default; a template with a
// construct the compiler does not know is interpreted) and with every template interpreted.
let engine: TemplateEngine = TemplateEngine.compiled;

function mapWithSes(template: string) {
  return createMapper({
    templates: compileTemplates({ ...defaultTemplateSources(), ses: template }),
    engine,
  }).map('events', event);
}

/** A template that writes `text` into statusMessage, after `directives`. */
function rowTemplate(directives: string, text: string): string {
  return `${directives}\n{"channel": "email", "timestamp": 1, "statusMessage": "${text}"}`;
}

const code = `'return globalThis.${canary}'`;

describe.each([TemplateEngine.compiled, TemplateEngine.interpreted])(
  'with %s templates',
  (engineUnderTest) => {
    beforeAll(() => {
      engine = engineUnderTest;
    });

    describe('templates see data, not JavaScript', () => {
      afterEach(expectNothingEscaped);

      // Each escape climbs from a value to Function and calls it with code that reads the canary.
      it.each([
        [
          'the reported escape through __lookupGetter__',
          `$eventType.toString.__lookupGetter__('__proto__').call($eventType.toString).constructor(${code}).call()`,
        ],
        ['constructor of constructor', `$mail.constructor.constructor(${code}).call()`],
        ['index access to constructor', `$mail['constructor']['constructor'].call($mail, ${code})`],
        ['__proto__', `$mail.__proto__.constructor.constructor(${code}).call()`],
        ['a bean getter named like a prototype member', `$mail.getConstructor().constructor(${code}).call()`],
        ['get() of a prototype member', `$mail.get('constructor').constructor(${code}).call()`],
        [
          'call, apply and bind',
          `$mail.toString.call($mail)$mail.valueOf.apply($mail)$mail.hasOwnProperty.bind($mail)`,
        ],
        ['toString and valueOf of a function', `$eventType.toString.toString()$mail.valueOf.valueOf()`],
        ['a helper as a value', `$jsonTool.toJson.constructor(${code}).call()`],
        ['a list method as a value', `$mail.destination.map.constructor(${code}).call()`],
        ['the size of a list climbing on', `$mail.destination.size.constructor.constructor(${code}).call()`],
        ['entrySet entries', `$mail.entrySet().get(0).constructor.constructor(${code}).call()`],
        ['a Java class', `$eventType.getClass().forName('java.lang.Runtime').getRuntime()`],
        ['__defineGetter__', `$mail.__defineGetter__('subject', $mail.toString)`],
        [
          'process and require',
          `$process.mainModule.require('child_process')$require('fs')$globalThis.process`,
        ],
        ['the canary as a property', `$mail.${canary}$eventType.${canary}$mail.destination.${canary}`],
      ])('renders %s as text and runs nothing', (_what, chain) => {
        const result = mapWithSes(rowTemplate('', chain));

        expect(result).toMatchObject({ ok: true, value: [{ statusMessage: expect.any(String) }] });
        if (result.ok)
          expect(result.value[0].statusMessage).not.toMatch(/canary|native code|function|\[object/);
      });

      const escape = `$mail.constructor.constructor(${code}).call()`;
      it.each([
        ['#set', `#set($f = $mail.constructor)#set($g = $f.constructor(${code}))#set($r = $g.call())`, '$r'],
        ['#set of an index', `#set($f = $mail['__proto__'])#set($r = $f['constructor'])`, '$r.constructor'],
        ['a double-quoted string', `#set($s = "${escape}")`, '$s'],
        ['#foreach over an object', `#foreach($v in $mail.constructor)#set($r = $v)#end`, '$!r'],
        ['#foreach over object values', `#foreach($v in $mail)#set($r = "$r$v.constructor")#end`, '$r'],
        [
          '#foreach with $foreach',
          `#foreach($v in [1])#set($r = $foreach.constructor.constructor(${code}))#end`,
          '$!r',
        ],
        [
          'a macro parameter',
          `#macro(m $a)$a.constructor.constructor(${code}).call()#end#set($r = "#m($mail)")`,
          '$r',
        ],
        [
          'a macro named like a prototype member',
          "#set($r = \"#constructor()#toString()#valueOf()#hasOwnProperty('x')#__lookupGetter__('__proto__')\")",
          '$r',
        ],
        ['#eval', `#set($e = '${escape.replaceAll("'", '"')}')#set($r = "#eval($e)")`, '$r'],
        ['#evaluate', `#set($e = '${escape.replaceAll("'", '"')}')#set($r = "#evaluate($e)")`, '$r'],
        ['#define', `#define($d)${escape}#end`, '$d'],
        ['#if', `#if($mail.constructor)#set($r = 'reached')#end`, '$!r'],
        ['a range', `#set($r = [$mail.constructor..2])`, '$r'],
        ['a map literal', `#set($m = {"a": $mail.constructor, "b": $eventType.toString})`, '$m'],
        ['an expression', `#set($r = $mail.constructor + $eventType.toString)`, '$r'],
      ])('keeps %s to data', (_what, directives, text) => {
        const result = mapWithSes(rowTemplate(directives, text));

        expect(result.ok).toBe(true);
        if (result.ok)
          expect(result.value[0].statusMessage ?? '').not.toMatch(/canary|native code|function /);
      });

      it.each([
        ['__proto__ of a map', '#set($mail.__proto__.polluted = 1)'],
        ['prototype of a constructor', '#set($mail.constructor.prototype.polluted = 1)'],
        [
          '__proto__ of a new map',
          '#set($m = {})#set($m.__proto__.polluted = 1)#set($m.__proto__ = {"polluted": 1})',
        ],
        ['__proto__ through put', "#set($x = $mail.put('__proto__', {'polluted': 1}))"],
        ['a list prototype', '#set($mail.destination.__proto__.polluted = 1)'],
        ['a bean setter', "#set($x = $mail.setPolluted(1))#set($x = $mail.set('polluted', 1))"],
        ['a variable named __proto__', '#set($__proto__ = {"polluted": 1})#set($constructor = 1)'],
      ])('writes nothing into %s', (_what, directives) => {
        const result = mapWithSes(rowTemplate(directives, '$!mail.polluted'));

        expect(result).toMatchObject({ ok: true, value: [{ statusMessage: null }] });
      });

      it('still offers the methods Velocity templates use', () => {
        const template = rowTemplate(
          '#set($subject = $mail.commonHeaders.subject)',
          "$subject.toUpperCase()|$subject.substring(1, 3)|$subject.length()|$subject.contains('ell')|" +
            '$mail.destination.size()|$mail.destination.get(0)|$mail.destination[0]|$mail.keySet().size()|' +
            "$mail.tags.campaign.isEmpty()|$mail.get('messageId')|$mail.getMessageId()|$eventType.equals('Send')",
        );

        const result = mapWithSes(template);

        expect(result).toMatchObject({
          ok: true,
          value: [
            { statusMessage: 'HELLO|el|5|true|1|jane@example.net|jane@example.net|5|false|m-1|m-1|true' },
          ],
        });
      });

      it('reports a forbidden call as the reference text, as Velocity does for an unknown method', () => {
        const result = mapWithSes(rowTemplate('', '$mail.constructor()'));

        expect(result).toMatchObject({ ok: true, value: [{ statusMessage: '$mail.constructor()' }] });
      });
    });

    describe('generated hostile templates', () => {
      afterEach(expectNothingEscaped);

      const names = fc.constantFrom(
        ...javascriptNames,
        canary,
        'get',
        'put',
        'add',
        'size',
        'keySet',
        'entrySet',
        'values',
        'substring',
        'length',
        'toJson',
        'toEscapedJson',
        'retrieveItemFromRaw',
        'mail',
        'destination',
        'tags',
        'commonHeaders',
        'subject',
      );
      const roots = fc.constantFrom(
        '$mail',
        '$eventType',
        '$jsonTool',
        '$originalEvent',
        '$mail.destination',
        '$m',
        '$l',
      );
      const literalArgument = fc.constantFrom(
        code,
        "'__proto__'",
        "'constructor'",
        '0',
        '1',
        '$mail',
        '$eventType',
        '[1, 2]',
        "{'a': 1}",
      );

      const chain: fc.Arbitrary<string> = fc
        .tuple(
          roots,
          fc.array(
            fc.oneof(
              names.map((name) => `.${name}`),
              fc
                .tuple(names, fc.array(literalArgument, { maxLength: 2 }))
                .map(([name, args]) => `.${name}(${args.join(', ')})`),
              fc.oneof(
                names.map((name) => `['${name}']`),
                fc.nat(2).map((index) => `[${index}]`),
              ),
            ),
            { maxLength: 6 },
          ),
          fc.constantFrom('', `.constructor(${code}).call()`, '.call()', `.apply($mail, [${code}])`),
        )
        .map(([root, segments, tail]) => root + segments.join('') + tail);

      // Every way velocityjs offers to use a reference.
      const placements: ((chain: string) => string)[] = [
        (c) => rowTemplate('', c),
        (c) => rowTemplate('', `\${${c.slice(1)}}`),
        (c) => rowTemplate(`#set($v = ${c})`, '$v'),
        (c) => rowTemplate(`#set($v = "${c}")`, '$v'),
        (c) => rowTemplate(`#foreach($i in ${c})#set($v = "$v$i")#end`, '$!v'),
        (c) => rowTemplate(`#if(${c})#set($v = 'true')#end`, '$!v'),
        (c) => rowTemplate(`#macro(m $p)${c.replace(/^\$[a-z]+/, '$p')}#end`, '#m($mail)'),
        (c) => rowTemplate(`#set($e = '${c.replaceAll("'", '"')}')#set($v = "#eval($e)")`, '$v'),
        (c) => rowTemplate(`#define($d)${c}#end`, '$d'),
        (c) => rowTemplate(`#set($v = [${c}..2])`, '$v'),
        (c) => rowTemplate(`#set($v = {"k": ${c}})`, '$jsonTool.toJson($v)'),
        (c) => rowTemplate(`#set($v = ${c} + '')`, '$v'),
        (c) =>
          /^\$[a-z]+(\.[A-Za-z_]+)+$/.test(c) ? rowTemplate(`#set(${c} = 1)`, '$!mail') : rowTemplate('', c),
      ];

      it('reach nothing outside the data, whatever chain of properties, methods and indexes they write', () => {
        let compiled = 0;
        fc.assert(
          fc.property(chain, fc.nat(placements.length - 1), (written, placement) => {
            touches.length = 0;
            const template = `#set($m = {"a": [1, "x"]})#set($l = ["a", {"b": 2}])${placements[placement](written)}`;

            let result;
            try {
              result = mapWithSes(template);
            } catch (error) {
              // A template velocityjs cannot parse is refused before it renders: nothing ran.
              expect(error).toBeInstanceOf(TemplateCompileError);
              return;
            }
            const templates = compileTemplates({ ...defaultTemplateSources(), ses: template });
            if (templates.templates.ses.engine === TemplateEngine.compiled) compiled++;
            // Compiled or not, the template maps the record as the interpreter does.
            expect(compareEngines(templates)(event)).toMatchObject({ agree: true });

            if (result.ok) {
              expect(JSON.stringify(result.value)).not.toMatch(
                /native code|globalThis\.__templateCanary"|canary"/,
              );
            } else {
              expect(Object.values(MappingFailureKind)).toContain(result.error.kind);
              expect(result.error.message).not.toMatch(/reached the template|mapping stopped/);
            }
            expect(touches).toEqual([]);
          }),
          { numRuns: 1_500 },
        );
        // Most of them run as compiled code (those with #macro, #define or #eval are interpreted).
        if (engine === TemplateEngine.compiled) expect(compiled).toBeGreaterThan(700);
      });
    });
  },
);
