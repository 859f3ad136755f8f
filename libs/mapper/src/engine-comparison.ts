import { TableName } from '@engagement-db/canonical-model';
import { type CompiledTemplates, TemplateEngine } from './compile-templates';
import { type MappingResult, VelocityMapper } from './mapper';
import type { TemplateName } from './template-sources';

/** How the compiled and the interpreted mapping of one raw event record compare. */
export interface EngineComparison {
  /** The templates the record renders with, one a row (none when it never reached a template). */
  readonly templates: readonly TemplateName[];
  /**
   * `compiled`: the compiled code made the rows by itself. `interpreted`: it left the record to the
   * interpreter (a template is interpreted, or the record fails, or it is a case the compiled code
   * does not prove), so the mapper gives the interpreter's result by construction.
   */
  readonly engine: TemplateEngine;
  /** Whether the mapper's result (rows or failure) and its JSON lines are the interpreter's, exactly. */
  readonly agree: boolean;
  readonly compiled: MappingResult<'events'>;
  readonly interpreted: MappingResult<'events'>;
}

/**
 * Makes a comparison of the two ways a template set maps event records: the compiled templates
 * (the mapper's default) against velocityjs' interpreter (the reference), record by record. For a
 * check of one's own templates, and for the tests that prove the compiler right.
 *
 * @example
 * ```ts
 * const compare = compareEngines(compileTemplates(loadTemplateDirectory('./my-templates')));
 * const { agree, engine, templates } = compare(line);
 * ```
 */
export function compareEngines(
  templates: CompiledTemplates,
  options: { readonly accountId?: string } = {},
): (rawText: string) => EngineComparison {
  const compiled = new VelocityMapper(templates, options.accountId ?? null, TemplateEngine.compiled);
  const interpreted = new VelocityMapper(templates, options.accountId ?? null, TemplateEngine.interpreted);
  return (rawText) => {
    const own = compiled.compiledOnly(rawText);
    const compiledResult = compiled.map(TableName.events, rawText);
    const compiledLines = compiled.mapLines(TableName.events, rawText);
    const interpretedResult = interpreted.map(TableName.events, rawText);
    const expectedLines = interpretedResult.ok
      ? { ok: true, value: interpretedResult.value.map((row) => JSON.stringify(row)) }
      : interpretedResult;
    const lines = compiledLines.ok
      ? { ok: true, value: compiledLines.value.map((line) => line.text) }
      : compiledLines;
    const ownAgrees =
      own.rows === undefined ||
      (interpretedResult.ok &&
        sameJson(own.rows, interpretedResult.value) &&
        sameJson(
          own.lines?.map((line) => line.text),
          interpretedResult.value.map((row) => JSON.stringify(row)),
        ));
    return {
      templates: own.templates,
      engine: own.rows === undefined ? TemplateEngine.interpreted : TemplateEngine.compiled,
      agree: ownAgrees && sameJson(compiledResult, interpretedResult) && sameJson(lines, expectedLines),
      compiled: compiledResult,
      interpreted: interpretedResult,
    };
  };
}

/** Deep equality of plain results, key order included: what JSON.stringify would write, and -0 apart from 0. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [aKeys, bKeys] = [Object.keys(a), Object.keys(b)];
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key, i) =>
      key === bKeys[i] && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
