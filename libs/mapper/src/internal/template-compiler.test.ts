import { join } from 'node:path';
import fc from 'fast-check';
import { loadCorpus } from '@engagement-db/corpus';
import { EventSource, detectSource, unwrapEnvelope } from '@engagement-db/channel-detectors';
import { type CompiledTemplate, type RenderableTemplate, compileTemplates } from '../compile-templates';
import { createMapper } from '../mapper';
import {
  TemplateName,
  type TemplateSources,
  defaultTemplateSources,
  loadTemplateDirectory,
} from '../template-sources';
import { BAIL } from './compiled-runtime';
import { RenderBudget, RenderBudgetExceeded, recordLimits } from './render-budget';
import { compileTemplate } from './template-compiler';
import { templateHelpersOf } from './template-helpers';
import { parseTemplate } from './velocity-ast';

function compiled(source: string) {
  return compileTemplate(parseTemplate(source), 'event');
}

const row = (members: string) => `{"channel": "email", "timestamp": 1${members}}`;

describe('compileTemplate', () => {
  it.each([
    ['#set, #if, #elseif, #else', '#set($a = 1)#if($a == 1)#set($b = 2)#elseif($a)#else#end' + row('')],
    ['==, !=, <, >, ||, && and !', '#if(!$a || $a != 1 && $a < 2 || $a > 0 || $a == "x")#end' + row('')],
    [
      '#foreach with $foreach, $velocityCount and #break',
      '#foreach($d in [1..3])$foreach.index$velocityCount#break#end\n' + row(''),
    ],
    ['conditional members', row(', #if($a)"statusCode": "x",#end "statusMessage": "y"')],
    ['a conditional value', row(', "statusCode": #if($a)"x"#else"y"#end')],
    ['helper calls', row(', "statusCode": "$jsonTool.formatPhoneNumber($a)", "tags": $jsonTool.toJson($b)')],
    [
      'double-quoted strings with references and directives',
      '#set($a = "x$b#if($c)y#end")' + row(', "statusCode": "$a"'),
    ],
    [
      'map, list and range literals',
      '#set($m = {"a": [1, 2.5, true, null, "x"]})#set($r = [$n..2])' + row(''),
    ],
    ['keys written by the template', row(', "tags": {#foreach($k in $keys)"$k": "v",#end}')],
    ['comments and raw text', '## a comment\n#* block *#' + row(', "statusCode": "#[[raw]]#"')],
    ['an index from the data', row(', "statusCode": "$!a[$b].c"')],
  ])('compiles %s', (_what, source) => {
    expect(compiled(source)).toMatchObject({ ok: true });
  });

  it.each([
    ['#macro', '#macro(m $a)$a#end\n' + row(''), /^#macro \(line 1, column 1\)$/],
    ['a macro call', row(', "statusCode": "#m()"'), /^#m\(\.\.\.\)/],
    ['#define', '#define($d)x#end' + row(''), /^#define/],
    ['#eval', '#eval("x")' + row(''), /^#eval\(\.\.\.\)/],
    ['#stop', '#stop()' + row(''), /^#stop\(\.\.\.\)/],
    ['a #set of a field', '#set($m = {})#set($m.a = 1)' + row(''), /^a #set of a field \(\$m\.a = \.\.\.\)/],
    ['put', row(', "statusCode": "$m.put(\'a\', 1)"'), /^a write into a map or list \(\.put\(\.\.\.\)\)/],
    ['add', '#set($x = $l.add(1))' + row(''), /^a write into a map or list \(\.add\(\.\.\.\)\)/],
    [
      'a call of the context',
      row(', "statusCode": "$f()"'),
      /^a call of the context itself \(\$f\(\.\.\.\)\)/,
    ],
    [
      'a loop variable named foreach',
      '#foreach($foreach in [1])#end' + row(''),
      /^a #foreach variable named foreach/,
    ],
    ['output that is not JSON', '{"channel": "email" oops}', /^its output is not JSON: expected "," or "}"/],
    ['no output', '#set($a = 1)', /^its output is not JSON: expected a JSON value/],
    [
      'an #if whose branches leave the output in different places',
      '{"channel": "email", #if($a)"timestamp": #end 1}',
      /^an #if whose branches leave the output in different places/,
    ],
    [
      'a #foreach that adds to the output',
      '{"destinationAddress": [#foreach($d in $l)"$d"#end]}',
      /^a #foreach whose body does not leave the output where it began/,
    ],
    ['an #if inside a number', '{"timestamp": 1#if($a)2#end}', /^an #if or #foreach inside a number/],
  ])('leaves %s to the interpreter, saying which construct and where', (_what, source, reason) => {
    const compilation = compiled(source);

    expect(compilation.ok).toBe(false);
    if (!compilation.ok) expect(compilation.reason).toMatch(reason);
  });

  it('writes what the template wrote only as JSON string literals, and runs none of it', () => {
    const key = 'a"]; globalThis.__escaped = 1; ["\u2028\u2029\\';
    const template = `{"channel": "email", "timestamp": 1, "statusCode": "$mail['${key}']", "tags": {${JSON.stringify(key)}: "$mail.b"}}`;

    const compilation = compiled(template);

    expect(compilation).toMatchObject({ ok: true });
    if (!compilation.ok) return;
    const code = compilation.code;
    // The key is in the code as a JSON string literal, the only form template text takes there.
    expect(code).toContain(JSON.stringify(key));
    const mail = { [key]: 'value', b: 'x' };
    const result = createMapper({
      templates: compileTemplates({ ...defaultTemplateSources(), ses: template }),
    }).map('events', JSON.stringify({ eventType: 'Send', mail }));
    expect(result).toMatchObject({
      ok: true,
      value: [{ statusCode: 'value', tags: { [key.toLowerCase()]: 'x' } }],
    });
    expect((globalThis as Record<string, unknown>).__escaped).toBeUndefined();
  });
});

describe('compileTemplates', () => {
  it('interprets a template the compiler does not support, with one notice naming it, its file and why', () => {
    const folder = join(__dirname, '..', '..', 'test', 'legacy-templates');
    const sources: TemplateSources = {
      ...loadTemplateDirectory(folder),
      ses: '#macro(quoted $v)"$v"#end{"channel": "email", "timestamp": 1, "statusCode": #quoted($eventType)}',
    };

    const { templates, notices } = compileTemplates(sources);

    expect(templates.ses).toMatchObject({
      engine: 'interpreted',
      fallback: expect.stringMatching(/^#macro/),
    });
    expect(notices).toEqual([
      `template ses (ses.vm) is interpreted, not compiled: #macro (line 1, column 1)`,
    ]);
    expect(
      createMapper({ templates: compileTemplates(sources) }).map(
        'events',
        JSON.stringify({ eventType: 'Send', mail: {} }),
      ),
    ).toMatchObject({ ok: true, value: [{ statusCode: 'Send' }] });
  });
});

describe('a compiled render', () => {
  const fixtures = loadCorpus().filter(
    (c) => c.expected !== null && (c.group === 'ses' || c.group === 'sms'),
  );
  const sets: [string, TemplateSources][] = [
    ['the default templates', defaultTemplateSources()],
    [
      'the templates using every construct',
      loadTemplateDirectory(join(__dirname, '..', '..', 'test', 'compiler-templates')),
    ],
  ];

  /** Renders a non-WhatsApp record both ways, each with a budget of its own, as the mapper does. */
  function renderBoth(template: CompiledTemplate, rawText: string) {
    const unwrapped = unwrapEnvelope(JSON.parse(rawText), rawText.trim());
    if (!unwrapped.ok) throw new Error(unwrapped.error.message);
    const { event, rawEventText } = unwrapped.value;
    const scope = { accountId: '111122223333', originalEvent: event as unknown, rawEventText };
    const { interpreter, render } = template as RenderableTemplate;
    const interpretedBudget = new RenderBudget(recordLimits(rawEventText.length, 1));
    let output: ReturnType<typeof interpreter.render> | undefined;
    try {
      output = interpreter.render(
        { ...event, originalEvent: event, jsonTool: '' },
        templateHelpersOf(scope),
        interpretedBudget,
      );
    } catch (error) {
      if (!(error instanceof RenderBudgetExceeded)) throw error;
    }
    const helpers = templateHelpersOf(scope, 'deferred');
    const compiledBudget = new RenderBudget(recordLimits(rawEventText.length, 1));
    let row: unknown;
    try {
      row = render?.(
        {
          event,
          originalEvent: event,
          eventText: rawEventText,
          eventId: 'id',
          helpers,
          calls: Object.fromEntries(helpers),
          entry: undefined,
          unit: undefined,
        },
        compiledBudget,
        false,
      );
    } catch (error) {
      if (error !== BAIL && !(error instanceof RenderBudgetExceeded)) throw error;
    }
    return { output, row, interpreted: interpretedBudget.spent, compiled: compiledBudget.spent };
  }

  it.each(sets)('charges the render budget exactly as the interpreter does, with %s', (_name, sources) => {
    const { templates } = compileTemplates(sources);
    for (const fixture of fixtures) {
      const unwrapped = unwrapEnvelope(JSON.parse(fixture.rawText), fixture.rawText);
      if (!unwrapped.ok) throw new Error(unwrapped.error.message);
      const source = detectSource(unwrapped.value.event);
      const name = source === EventSource.endUserMessaging ? TemplateName.messaging : TemplateName.ses;

      const { output, row, interpreted, compiled } = renderBoth(templates[name], fixture.rawText);

      expect({ fixture: fixture.name, ok: output?.ok, rendered: row !== undefined }).toEqual({
        fixture: fixture.name,
        ok: true,
        rendered: true,
      });
      expect({ fixture: fixture.name, ...compiled }).toEqual({ fixture: fixture.name, ...interpreted });
    }
  });

  it('charges the render budget exactly as the interpreter does, whatever loops and strings the template makes', () => {
    const ses = fixtures.find((c) => c.name === 'ses/delivery') ?? fixtures[0];
    fc.assert(
      fc.property(
        fc.constantFrom('[1..5]', '$mail.destination', '$mail.tags', '$mail', '[]', '["a", "b"]'),
        fc.constantFrom('$i', '"$i-$i"', '$velocityCount', '$jsonTool.toJson($i)', '$i.size()'),
        fc.nat(3),
        (list, item, depth) => {
          const loop = (body: string, level: number): string =>
            level === 0 ? body : `#foreach($i in ${list})${loop(body, level - 1)}#end`;
          const template = `#set($s = "")${loop(`#set($s = "$s${item.replaceAll('"', "'")}")`, depth)}${row(', "statusMessage": "$s", "statusCode": "' + loop('$i,', depth) + '"')}`;
          const { templates } = compileTemplates({ ...defaultTemplateSources(), ses: template });

          const { output, row: rendered, interpreted, compiled } = renderBoth(templates.ses, ses.rawText);

          // A render the budget ends ends both ways; one it does not end charges the same.
          expect(rendered === undefined).toBe(output === undefined);
          if (output !== undefined) expect(compiled).toEqual(interpreted);
        },
      ),
      { numRuns: 100 },
    );
  });
});
