/**
 * Writes the body of a generated function as nested blocks. The render budget charges that do not
 * depend on data (a step per template node, the length of a template's text) are summed per block
 * and charged once at its top: a render then charges the same totals as the interpreter, only
 * earlier, so a compiled render never gets further than the interpreter would before its budget
 * ends (and when it ends, the record is interpreted).
 */
export class CodeWriter {
  private readonly root = new Block();
  private current = this.root;

  /** Adds a statement to the current block. */
  line(code: string): void {
    this.current.items.push(code);
  }

  /** Counts fixed budget charges of the current block. */
  charge(steps: number, chars = 0): void {
    this.current.steps += steps;
    this.current.chars += chars;
  }

  /** Runs `body` to write the statements of a block headed by `header` (`if (x)`, `else`, `for (...)`). */
  block(header: string, body: () => void): void {
    const parent = this.current;
    const child = new Block(header);
    parent.items.push(child);
    this.current = child;
    try {
      body();
    } finally {
      this.current = parent;
    }
  }

  /** The source text, one statement a line. */
  text(indent = '  '): string {
    const lines: string[] = [];
    this.root.write(lines, indent);
    return lines.join('\n');
  }
}

class Block {
  readonly items: (string | Block)[] = [];
  steps = 0;
  chars = 0;

  constructor(readonly header?: string) {}

  write(lines: string[], indent: string): void {
    const inner = this.header === undefined ? indent : `${indent}  `;
    if (this.header !== undefined) lines.push(`${indent}${this.header} {`);
    if (this.steps > 0) lines.push(`${inner}B.step(${this.steps});`);
    if (this.chars > 0) lines.push(`${inner}B.chars(${this.chars});`);
    for (const item of this.items) {
      if (typeof item === 'string') lines.push(`${inner}${item}`);
      else item.write(lines, inner);
    }
    if (this.header !== undefined) lines.push(`${indent}}`);
  }
}
