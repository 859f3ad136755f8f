/** A skeleton scanned once: constants, text with tokens in it, tokens, objects and arrays. */
export type Plan =
  | { readonly kind: 'constant'; readonly value: string | number | boolean | null }
  | { readonly kind: 'text'; readonly parts: readonly (string | number)[] }
  | { readonly kind: 'token'; readonly index: number }
  | { readonly kind: 'object'; readonly keys: readonly Plan[]; readonly values: readonly Plan[] }
  | { readonly kind: 'array'; readonly items: readonly Plan[] };

/** The plan of a skeleton, or where and why its text is not JSON. */
export function planOf(skeleton: string, marker: number): Plan | string {
  try {
    return new SkeletonScanner(skeleton, marker).scanDocument();
  } catch (error) {
    if (error instanceof SkeletonSyntaxError) return error.message;
    throw error;
  }
}

class SkeletonSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkeletonSyntaxError';
  }
}

const quote = 0x22;
const backslash = 0x5c;

/** A JSON scanner that knows tokens: it turns a skeleton into a {@link Plan}. */
class SkeletonScanner {
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly marker: number,
  ) {}

  scanDocument(): Plan {
    const plan = this.scanValue();
    this.skipWhitespace();
    if (this.at < this.text.length) this.fail('expected the end of the output');
    return plan;
  }

  private scanValue(): Plan {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.at);
    if (code === 0x7b) return this.scanObject();
    if (code === 0x5b) return this.scanArray();
    if (code === quote) return this.scanString();
    if (code === this.marker) return { kind: 'token', index: this.scanToken() };
    if (code === 0x2d || (code >= 0x30 && code <= 0x39))
      return { kind: 'constant', value: this.scanNumber() };
    if (this.text.startsWith('true', this.at)) return this.constant(4, true);
    if (this.text.startsWith('false', this.at)) return this.constant(5, false);
    if (this.text.startsWith('null', this.at)) return this.constant(4, null);
    return this.fail('expected a JSON value');
  }

  private scanObject(): Plan {
    const keys: Plan[] = [];
    const values: Plan[] = [];
    this.at++;
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.at) === 0x7d) {
        this.at++;
        return { kind: 'object', keys, values };
      }
      if (this.text.charCodeAt(this.at) !== quote) this.fail('expected a quoted field name or "}"');
      keys.push(this.scanString());
      this.skipWhitespace();
      if (this.text.charCodeAt(this.at) !== 0x3a) this.fail('expected ":" after a field name');
      this.at++;
      values.push(this.scanValue());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.at);
      if (next === 0x2c) this.at++;
      else if (next !== 0x7d) this.fail('expected "," or "}"');
    }
  }

  private scanArray(): Plan {
    const items: Plan[] = [];
    this.at++;
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.at) === 0x5d) {
        this.at++;
        return { kind: 'array', items };
      }
      items.push(this.scanValue());
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.at);
      if (next === 0x2c) this.at++;
      else if (next !== 0x5d) this.fail('expected "," or "]"');
    }
  }

  private scanString(): Plan {
    const text = this.text;
    const parts: (string | number)[] = [];
    let literal = '';
    let start = ++this.at;
    for (;;) {
      if (this.at >= text.length) this.fail('unterminated string');
      const code = text.charCodeAt(this.at);
      if (code === quote) {
        literal += text.slice(start, this.at);
        this.at++;
        if (literal !== '' || parts.length === 0) parts.push(literal);
        return parts.length === 1 && typeof parts[0] === 'string'
          ? { kind: 'constant', value: parts[0] }
          : { kind: 'text', parts };
      }
      if (code === backslash) {
        literal += text.slice(start, this.at) + this.scanEscape();
        start = this.at;
      } else if (code === this.marker) {
        literal += text.slice(start, this.at);
        if (literal !== '') parts.push(literal);
        literal = '';
        parts.push(this.scanToken());
        start = this.at;
      } else {
        this.at++;
      }
    }
  }

  private scanEscape(): string {
    const code = this.text.charCodeAt(this.at + 1);
    this.at += 2;
    switch (code) {
      case quote:
        return '"';
      case backslash:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        const hex = this.text.slice(this.at, this.at + 4);
        if (!isHex(hex)) this.fail('expected four hex digits after \\u');
        this.at += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.at -= 2;
        return this.fail('invalid escape in string');
    }
  }

  private scanToken(): number {
    const open = this.at;
    let index = 0;
    let at = open + 1;
    for (;;) {
      const code = this.text.charCodeAt(at);
      if (code === this.marker && at > open + 1) break;
      if (!(code >= 0x30 && code <= 0x39)) {
        this.at = open;
        this.fail('broken value token');
      }
      index = index * 10 + (code - 0x30);
      at++;
    }
    this.at = at + 1;
    return index;
  }

  private scanNumber(): number {
    const start = this.at;
    if (this.text.charCodeAt(this.at) === 0x2d) this.at++;
    while (this.at < this.text.length) {
      const code = this.text.charCodeAt(this.at);
      const numeric =
        (code >= 0x30 && code <= 0x39) ||
        code === 0x2e ||
        code === 0x65 ||
        code === 0x45 ||
        code === 0x2b ||
        code === 0x2d;
      if (!numeric) break;
      this.at++;
    }
    const slice = this.text.slice(start, this.at);
    const value = Number(slice);
    if (slice === '-' || Number.isNaN(value)) {
      this.at = start;
      this.fail('invalid number');
    }
    return value;
  }

  private constant(length: number, value: boolean | null): Plan {
    this.at += length;
    return { kind: 'constant', value };
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const code = text.charCodeAt(this.at);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.at++;
    }
  }

  private fail(why: string): never {
    const before = this.text.slice(0, this.at);
    const line = before.split('\n').length;
    const column = this.at - before.lastIndexOf('\n');
    const near = this.text.slice(Math.max(0, this.at - 20), this.at + 20);
    throw new SkeletonSyntaxError(
      `${why} at line ${line}, column ${column} of the output, near ${JSON.stringify(near)}`,
    );
  }
}

function isHex(text: string): boolean {
  if (text.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const code = text.charCodeAt(i) | 0x20;
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}
