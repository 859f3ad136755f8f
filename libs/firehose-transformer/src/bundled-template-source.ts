import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CompiledTemplates,
  compileTemplates,
  defaultTemplateSources,
  loadTemplateDirectory,
} from '@engagement-db/mapper';
import type { TemplateSource } from './template-source';

/**
 * The folder the bundle script copies the default `.vm` files to, beside the bundled `index.js`.
 * Unbundled (tests, local tools) it does not exist, and the mapper's own defaults are used instead.
 */
export const defaultBundledTemplatesDir = join(__dirname, 'templates');

/**
 * Templates that ship with the function: the `.vm` files in `dir` when given, else those in
 * `templates/` beside the bundled handler when present, else the mapper's default set.
 * Loaded and compiled once, on first use; a missing or broken explicit folder throws the mapper's
 * `TemplateLoadError` or `TemplateCompileError` then, as it is a deployment mistake.
 *
 * @example
 * const transform = createTransformer({ templateSource: bundledTemplateSource('/opt/engagement-templates') });
 */
export function bundledTemplateSource(dir?: string): TemplateSource {
  let compiled: CompiledTemplates | undefined;
  return {
    templates: async () => {
      compiled ??= compileTemplates(loadBundledSources(dir));
      return compiled;
    },
  };
}

function loadBundledSources(dir: string | undefined) {
  if (dir !== undefined) return loadTemplateDirectory(dir);
  return existsSync(defaultBundledTemplatesDir)
    ? loadTemplateDirectory(defaultBundledTemplatesDir)
    : defaultTemplateSources();
}
