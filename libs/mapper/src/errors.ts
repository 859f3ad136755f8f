/**
 * The base of every error the mapper throws. It throws only for configuration mistakes (a missing
 * or broken template); bad input events are returned as values, never thrown.
 *
 * @example
 * ```ts
 * try { loadTemplateDirectory('./templates'); } catch (e) { if (e instanceof MapperError) console.error(e.message); }
 * ```
 */
export class MapperError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MapperError';
  }
}

/** A template file could not be read: the folder or a `<name>.vm` file is missing or unreadable. */
export class TemplateLoadError extends MapperError {
  readonly file: string;

  constructor(file: string, why: string, options?: { cause?: unknown }) {
    super(
      `Cannot load template ${file}: ${why}. Expected one readable file per template name ` +
        `(ses.vm, messaging.vm, whatsapp-message.vm, whatsapp-status.vm); copy the missing ones from the default templates folder.`,
      options,
    );
    this.name = 'TemplateLoadError';
    this.file = file;
  }
}

/** A template is not valid Velocity: the message names the template, the line and why. */
export class TemplateCompileError extends MapperError {
  readonly template: string;
  readonly line: number | undefined;

  constructor(template: string, line: number | undefined, why: string, options?: { cause?: unknown }) {
    const where = line === undefined ? template : `${template}, line ${line}`;
    super(
      `Cannot compile template ${where}: ${why}. Expected Velocity Template Language; ` +
        `fix the template (check #if/#foreach/#end pairs, parentheses and quotes) and load it again.`,
      options,
    );
    this.name = 'TemplateCompileError';
    this.template = template;
    this.line = line;
  }
}
