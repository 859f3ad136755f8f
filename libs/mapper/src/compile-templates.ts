import { TemplateCompileError, type TemplateSourceLocation } from './errors';
import { type CompiledRender, compileTemplate } from './internal/template-compiler';
import { VelocityTemplate } from './internal/velocity-template';
import { TemplateName, type TemplateSources, templateFileOf } from './template-sources';

/**
 * How a template's records are rendered: by JavaScript compiled from the template, or by velocityjs'
 * interpreter (the reference), for a template using a construct the compiler does not support.
 */
export const TemplateEngine = {
  compiled: 'compiled',
  interpreted: 'interpreted',
} as const;
export type TemplateEngine = (typeof TemplateEngine)[keyof typeof TemplateEngine];

/** One template of a set, parsed and, where the compiler supports all it uses, compiled. */
export interface CompiledTemplate {
  readonly name: TemplateName;
  readonly source: string;
  /** `<folder>/<name>.vm` for a set read by `loadTemplateDirectory`, else `<name>.vm`. */
  readonly file: string;
  readonly engine: TemplateEngine;
  /** For an interpreted template: the construct the compiler does not support, and where. */
  readonly fallback?: string;
}

/**
 * A template set parsed and compiled once, ready for any number of mappers.
 *
 * @example
 * ```ts
 * const { templates, notices } = compileTemplates(loadTemplateDirectory('./my-templates'));
 * for (const notice of notices) console.warn(notice);
 * ```
 */
export interface CompiledTemplates {
  readonly templates: Readonly<Record<TemplateName, CompiledTemplate>>;
  /** One line per template that is interpreted rather than compiled, saying why: for a program to show once. */
  readonly notices: readonly string[];
}

/** What a mapper renders with: the interpreter always, the compiled function when there is one. */
export interface RenderableTemplate extends CompiledTemplate {
  readonly interpreter: VelocityTemplate;
  readonly render: CompiledRender | undefined;
}

/**
 * Parses every template of a set once and compiles each to JavaScript; a template the compiler does
 * not support is interpreted instead (same results, more time), with a notice saying why. Compile a
 * set once and share it: mapping never parses or compiles again.
 *
 * @throws TemplateCompileError for a missing or invalid template, with its name, file, line, column
 * and source line, and why.
 * @example
 * ```ts
 * const templates = compileTemplates({ ...defaultTemplateSources(), ses: readFileSync('ses.vm', 'utf8') });
 * const mapper = createMapper({ templates });
 * ```
 */
export function compileTemplates(sources: TemplateSources): CompiledTemplates {
  const notices: string[] = [];
  const entries = Object.values(TemplateName).map((name): [TemplateName, RenderableTemplate] => {
    const source: unknown = sources[name];
    const file = templateFileOf(sources, name);
    if (typeof source !== 'string') {
      throw new TemplateCompileError(
        { template: name, file },
        `no source text given (got ${source === undefined ? 'undefined' : typeof source})`,
      );
    }
    let interpreter: VelocityTemplate;
    try {
      interpreter = new VelocityTemplate(name, source);
    } catch (cause) {
      const location = { template: name, file, ...positionOf(source, cause) };
      throw new TemplateCompileError(location, reasonOf(cause), { cause });
    }
    const shape = name === TemplateName.ses || name === TemplateName.messaging ? 'event' : 'whatsapp';
    const compilation = compileTemplate(interpreter.asts, shape);
    const template = { name, source, file, interpreter };
    if (compilation.ok)
      return [name, { ...template, engine: TemplateEngine.compiled, render: compilation.render }];
    notices.push(`template ${name} (${file}) is interpreted, not compiled: ${compilation.reason}`);
    return [
      name,
      { ...template, engine: TemplateEngine.interpreted, fallback: compilation.reason, render: undefined },
    ];
  });
  return { templates: Object.fromEntries(entries) as Record<TemplateName, RenderableTemplate>, notices };
}

type SourcePosition = Pick<TemplateSourceLocation, 'line' | 'column' | 'sourceLine'>;

/**
 * Where velocityjs' parser stopped. Its error carries the line and, in the message, the text around
 * the offending token (newlines removed, 20 characters each side) with a caret at the token; the
 * token's offset is the place in the source where that text fits. The parser's own `loc` points at
 * the token before, so it is not used.
 */
function positionOf(source: string, error: unknown): SourcePosition {
  const message = error instanceof Error ? error.message : '';
  const [first = '', excerpt = '', pointer = ''] = message.split('\n');
  const reported = /^(?:Parse|Lexical) error on line (\d+)/.exec(first);
  if (reported === null) return {};
  const line = Number(reported[1]);
  const caret = pointer.indexOf('^');
  const offset =
    caret < 0 ? undefined : offsetOf(source, excerpt.slice(0, caret), excerpt.slice(caret), line);
  if (offset === undefined) return { line, sourceLine: source.split('\n')[line - 1] };
  return sourcePosition(source, offset);
}

const excerptLength = 20;

function offsetOf(source: string, past: string, upcoming: string, line: number): number | undefined {
  const pastCut = past.startsWith('...');
  const pastText = pastCut ? past.slice(3) : past;
  const upcomingText = upcoming.endsWith('...') ? upcoming.slice(0, -3) : upcoming;
  const fits = (offset: number): boolean =>
    offset > excerptLength === pastCut &&
    source.slice(Math.max(0, offset - excerptLength), offset).replaceAll('\n', '') === pastText &&
    source.slice(offset, offset + excerptLength).replaceAll('\n', '') === upcomingText;
  // Several places can fit a short excerpt: the first on the reported line wins, else the first.
  let first: number | undefined;
  let lineAt = 1;
  for (let offset = 0; offset <= source.length; offset++) {
    if (offset > 0 && source.charCodeAt(offset - 1) === 0x0a) lineAt++;
    if (!fits(offset)) continue;
    if (lineAt >= line - 1 && lineAt <= line) return offset;
    first ??= offset;
  }
  return first;
}

// The line and column of an offset, past any line break the offending token starts with.
function sourcePosition(source: string, offset: number): Required<SourcePosition> {
  let at = offset;
  while (at < source.length && /\s/.test(source[at])) at++;
  if (at === source.length) at = offset;
  const before = source.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = source.indexOf('\n', at);
  return {
    line: before.split('\n').length,
    column: at - lineStart + 1,
    sourceLine: source.slice(lineStart, lineEnd < 0 ? source.length : lineEnd).replace(/\r$/, ''),
  };
}

// The parser's last line: "Expecting ..., got ..." or "Unrecognized text."; its name for the end of
// the input is a number.
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n').filter((line) => line.trim() !== '');
  const last = lines[lines.length - 1] ?? message;
  const lexical = /^Lexical error on line \d+\. (.*)$/.exec(lines[0] ?? '');
  return (lexical?.[1] ?? last).replace(/\.$/, '').replace(/got '(1|EOF)'$/, 'got the end of the template');
}
