import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { templatesDirectory } from '@engagement-db/templates';
import { TemplateLoadError } from './errors';

/**
 * The templates of a set, one per kind of raw event; each is the file `<name>.vm`.
 *
 * @example `${dir}/${TemplateName.whatsappStatus}.vm` // '<dir>/whatsapp-status.vm'
 */
export const TemplateName = {
  /** SES event publishing records and SES notifications. */
  ses: 'ses',
  /** End User Messaging SMS, MMS and Voice events. */
  messaging: 'messaging',
  /** One inbound WhatsApp message of a webhook entry. */
  whatsappMessage: 'whatsapp-message',
  /** One status of a sent WhatsApp message. */
  whatsappStatus: 'whatsapp-status',
} as const;
export type TemplateName = (typeof TemplateName)[keyof typeof TemplateName];

/**
 * The Velocity source text of every template of a set.
 *
 * @example
 * ```ts
 * const sources: TemplateSources = { ...defaultTemplateSources(), ses: mySesTemplate };
 * ```
 */
export type TemplateSources = Readonly<Record<TemplateName, string>>;

let defaults: TemplateSources | undefined;

// The folder each set read by loadTemplateDirectory came from, so errors can name the file.
const folders = new WeakMap<TemplateSources, string>();

/**
 * The file a template of a set is read from: `<folder>/<name>.vm` for a set read by
 * {@link loadTemplateDirectory}, else `<name>.vm`.
 *
 * @example templateFileOf(loadTemplateDirectory('./t'), 'ses') // '/abs/t/ses.vm'
 */
export function templateFileOf(sources: TemplateSources, name: TemplateName): string {
  const folder = folders.get(sources);
  return folder === undefined ? `${name}.vm` : join(folder, `${name}.vm`);
}

/**
 * The bundled default templates (the `templates/` folder of this repository), read once.
 *
 * @example
 * ```ts
 * const mapper = createMapper({ templates: compileTemplates(defaultTemplateSources()) });
 * ```
 */
export function defaultTemplateSources(): TemplateSources {
  defaults ??= loadTemplateDirectory(templatesDirectory);
  return defaults;
}

/**
 * Reads `<name>.vm` for each {@link TemplateName} from a folder.
 *
 * @throws TemplateLoadError when a file is missing or unreadable, naming the file and how to fix it.
 * @example
 * ```ts
 * const mapper = createMapper({ templates: compileTemplates(loadTemplateDirectory('./my-templates')) });
 * ```
 */
export function loadTemplateDirectory(dir: string): TemplateSources {
  const folder = resolve(dir);
  const entries = Object.values(TemplateName).map((name): [TemplateName, string] => {
    const file = join(folder, `${name}.vm`);
    try {
      return [name, readFileSync(file, 'utf8')];
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${code ?? String(cause)})`;
      throw new TemplateLoadError(file, why, { cause });
    }
  });
  const sources = Object.fromEntries(entries) as Record<TemplateName, string>;
  folders.set(sources, folder);
  return sources;
}
