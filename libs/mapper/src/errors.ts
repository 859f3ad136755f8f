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

/**
 * Where in a template's source a problem is: the file (`<folder>/<name>.vm`, or `<name>.vm` for a
 * template given as text), and when known the 1-based line and column and the text of that line.
 */
export interface TemplateSourceLocation {
  readonly template: string;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly sourceLine?: string;
}

/**
 * A template is not valid Velocity: the message names the template, its file, the line and column,
 * shows the offending source line, and says why.
 */
export class TemplateCompileError extends MapperError {
  readonly template: string;
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly sourceLine: string | undefined;

  constructor(location: TemplateSourceLocation, why: string, options?: { cause?: unknown }) {
    const { template, file, line, column, sourceLine } = location;
    const at =
      line === undefined ? '' : column === undefined ? `, line ${line}` : `, line ${line}, column ${column}`;
    super(
      `Cannot compile template ${template} (${file})${at}: ${why}.\n${excerptOf(location)}` +
        `Expected Velocity Template Language; fix the template (check #if/#foreach/#end pairs, ` +
        `parentheses and quotes) and load it again.`,
      options,
    );
    this.name = 'TemplateCompileError';
    this.template = template;
    this.file = file;
    this.line = line;
    this.column = column;
    this.sourceLine = sourceLine;
  }
}

// The offending line with a caret under the column, as compilers show it.
function excerptOf({ line, column, sourceLine }: TemplateSourceLocation): string {
  if (line === undefined || sourceLine === undefined) return '';
  const gutter = String(line).padStart(5);
  // Tabs stay tabs, so the caret lines up however the terminal shows them.
  const indent = sourceLine.slice(0, (column ?? 1) - 1).replace(/[^\t]/g, ' ');
  const caret = column === undefined ? '' : `\n${' '.repeat(gutter.length)} | ${indent}^`;
  return `${gutter} | ${sourceLine}${caret}\n`;
}
