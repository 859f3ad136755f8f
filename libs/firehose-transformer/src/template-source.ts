import type { CompiledTemplates } from '@engagement-db/mapper';

/**
 * Where the transformer gets the compiled Velocity templates it maps each batch with.
 * Called once per invocation; an implementation caches and decides when to reload.
 *
 * @example
 * const fixed: TemplateSource = { templates: async () => compileTemplates(defaultTemplateSources()) };
 */
export interface TemplateSource {
  /** The template set for the next batch. Rejects only when no usable set exists at all. */
  templates(): Promise<CompiledTemplates>;
}
