import { TemplateCompileError } from './errors';
import { VelocityTemplate } from './internal/velocity-template';
import { TemplateName, type TemplateSources } from './template-sources';

/**
 * A template set parsed once, ready for any number of mappers.
 *
 * @example const templates: CompiledTemplates = compileTemplates(defaultTemplateSources());
 */
export type CompiledTemplates = Readonly<Record<TemplateName, VelocityTemplate>>;

/**
 * Parses every template of a set once. Compile a set once and share it: mapping never parses again.
 *
 * @throws TemplateCompileError for a missing or invalid template, with its name, line and why.
 * @example
 * ```ts
 * const templates = compileTemplates({ ...defaultTemplateSources(), ses: readFileSync('ses.vm', 'utf8') });
 * const mapper = createMapper({ templates });
 * ```
 */
export function compileTemplates(sources: TemplateSources): CompiledTemplates {
  const entries = Object.values(TemplateName).map((name): [TemplateName, VelocityTemplate] => {
    const source: unknown = sources[name];
    if (typeof source !== 'string') {
      throw new TemplateCompileError(
        name,
        undefined,
        `no source text given (got ${source === undefined ? 'undefined' : typeof source})`,
      );
    }
    try {
      return [name, new VelocityTemplate(name, source)];
    } catch (cause) {
      throw new TemplateCompileError(name, lineOf(cause), firstLine(cause), { cause });
    }
  });
  return Object.fromEntries(entries) as Record<TemplateName, VelocityTemplate>;
}

function lineOf(error: unknown): number | undefined {
  const hash = (error as { hash?: { line?: number; loc?: { first_line?: number } } }).hash;
  // The parser counts `line` from 0 at the offending token; its `loc` may point at the token before.
  if (typeof hash?.line === 'number') return hash.line + 1;
  if (typeof hash?.loc?.first_line === 'number') return hash.loc.first_line;
  return undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-1)[0] ?? message
  );
}
