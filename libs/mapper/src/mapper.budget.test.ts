import { TemplateEngine, compileTemplates } from './compile-templates';
import { createMapper } from './mapper';
import { type MappingFailure, MappingFailureKind, RenderLimit } from './mapping-failure';
import { TemplateName, type TemplateSources, defaultTemplateSources } from './template-sources';
import { whatsAppStatusesEvent } from '../test/whatsapp-statuses-event';

// Each record's renders have a budget of steps, nesting and size (see the README); a template that
// would loop, recurse or grow without end stops with a `render-budget` failure naming the limit.
// The time bound below is only an upper bound with a wide margin, in CPU time so that other work on
// the machine does not count: these records end in milliseconds, and before the budget the first of
// them ran for hours and grew to gigabytes.
const generousBoundMillis = 1_000;

const sesEvent = JSON.stringify({
  eventType: 'Send',
  mail: { timestamp: '2025-03-14T15:09:26.017Z', messageId: 'm-1', destination: ['jane@example.net'] },
  send: {},
});

// Every test runs with compiled templates (the mapper's default: a compiled render that goes beyond
// the budget hands the record to the interpreter, which gives the failure) and interpreted ones.
let engine: TemplateEngine = TemplateEngine.compiled;

function mapperWith(sources: Partial<TemplateSources>) {
  return createMapper({ templates: compileTemplates({ ...defaultTemplateSources(), ...sources }), engine });
}

function row(directives: string): string {
  return `${directives}\n{"channel": "email", "timestamp": 1, "statusMessage": "$!r"}`;
}

function timed<T>(work: () => T): { result: T; millis: number } {
  const started = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(started);
  return { result, millis: (used.user + used.system) / 1000 };
}

describe.each([TemplateEngine.compiled, TemplateEngine.interpreted])(
  'with %s templates',
  (engineUnderTest) => {
    beforeAll(() => {
      engine = engineUnderTest;
    });

    describe('the render budget of a record', () => {
      it.each([
        [
          'a #foreach over [1..100000000]',
          '#foreach($i in [1..100000000])#set($r = $i)#end',
          RenderLimit.steps,
        ],
        [
          'nested loops',
          '#foreach($i in [1..1000])#foreach($j in [1..1000])#set($r = $j)#end#end',
          RenderLimit.steps,
        ],
        ['deep #macro recursion', '#macro(down $n)#down($n)#end#down(1)', RenderLimit.depth],
        [
          'wide #macro recursion',
          '#macro(two $n)#if($n.length() < 40)#two("${n}a")#two("${n}b")#end#end#two("")',
          RenderLimit.steps,
        ],
        ['a #define that expands itself', '#define($d)$d$d#end#set($r = "$d")', RenderLimit.depth],
        ['#eval of itself', "#set($e = '#eval($e)')#eval($e)", RenderLimit.depth],
        [
          'a string doubled in a double-quoted string',
          '#set($r = "0123456789")#foreach($i in [1..40])#set($r = "$r$r")#end',
          RenderLimit.size,
        ],
        [
          'a string doubled with +',
          '#set($r = "0123456789")#foreach($i in [1..40])#set($r = $r + $r)#end',
          RenderLimit.size,
        ],
        [
          'a string grown by replace',
          "#set($r = 'aaaaaaaaaa')#foreach($i in [1..40])#set($r = $r.replace('a', 'aa'))#end",
          RenderLimit.size,
        ],
        [
          'a list of itself, thirty levels deep, written as JSON',
          '#set($l = [1])#foreach($i in [1..40])#set($l = [$l, $l])#end#set($r = $jsonTool.toJson($l))',
          RenderLimit.steps,
        ],
        [
          'a list of itself written as text',
          '#set($l = [1])#foreach($i in [1..40])#set($l = [$l, $l])#end#set($r = "$l")',
          RenderLimit.steps,
        ],
        [
          'output beyond the size limit',
          `#foreach($i in [1..2000])$mail.destination.get(0)${'.'.repeat(600)}#end`,
          RenderLimit.size,
        ],
        ['a range from the data', '#set($n = 1000000000)#foreach($i in [1..$n])#end', RenderLimit.steps],
      ])('ends %s with a render-budget failure in bounded time', (_what, directives, limit) => {
        const mapper = mapperWith({ ses: row(directives) });

        const { result, millis } = timed(() => mapper.map('events', sesEvent));

        expect(result).toEqual({
          ok: false,
          error: {
            kind: MappingFailureKind.renderBudget,
            template: TemplateName.ses,
            limit,
            message: expect.stringMatching(/^template ses: render budget exceeded: /),
          } satisfies MappingFailure,
        });
        expect(millis).toBeLessThan(generousBoundMillis);
      });

      it('gives the rows of a WhatsApp entry one budget, so a template looping in each of them ends', () => {
        // 1,000 iterations in each row: well within a budget of its own, beyond one budget for 400 rows.
        const looping = defaultTemplateSources()['whatsapp-status'].replace(
          "#set($jsonTool = '')",
          "#set($jsonTool = '')#foreach($i in [1..1000])#set($x = $i)#end",
        );
        const mapper = mapperWith({ [TemplateName.whatsappStatus]: looping });
        const text = JSON.stringify(whatsAppStatusesEvent(400));

        const { result, millis } = timed(() => mapper.map('events', text));

        expect(result).toMatchObject({ ok: false, error: { kind: 'render-budget', limit: 'steps' } });
        expect(millis).toBeLessThan(generousBoundMillis);
      });

      it('leaves room for what templates really do: the default templates on a large record', () => {
        const destinations = Array.from({ length: 20_000 }, (_, i) => `recipient-${i}@example.net`);
        const large = JSON.stringify({
          eventType: 'Delivery',
          mail: { timestamp: '2025-03-14T15:09:26.017Z', messageId: 'm-1', destination: destinations },
          delivery: {
            timestamp: '2025-03-14T15:09:27.017Z',
            recipients: destinations,
            smtpResponse: '250 OK',
          },
        });

        const result = createMapper({ engine }).map('events', large);

        expect(result).toMatchObject({ ok: true, value: [{ destinationAddress: destinations }] });
      });

      it('leaves room for loops over the data a template is given', () => {
        const destinations = Array.from({ length: 5_000 }, (_, i) => `recipient-${i}@example.net`);
        const mapper = mapperWith({
          ses: row(
            '#foreach($d in $mail.destination)#if($d.endsWith("-4999@example.net"))#set($r = $d)#end#end',
          ),
        });

        const result = mapper.map(
          'events',
          JSON.stringify({ eventType: 'Send', mail: { timestamp: 1, destination: destinations } }),
        );

        expect(result).toMatchObject({ ok: true, value: [{ statusMessage: 'recipient-4999@example.net' }] });
      });
    });
  },
);
