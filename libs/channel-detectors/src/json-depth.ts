/**
 * How deep the arrays and objects of a record may nest, and those of the JSON held in its strings (an
 * SNS `Message`, a WhatsApp entry). Real events nest about ten deep. Deeper records are refused before
 * anything walks them: every walk of a value (JSON.stringify, a template's) recurses, and a thread's
 * stack (smaller on the main thread than in a worker) must never decide whether a record maps.
 */
export const maximumJsonDepth = 128;

const Char = {
  quote: 0x22,
  backslash: 0x5c,
  openArray: 0x5b,
  closeArray: 0x5d,
  openObject: 0x7b,
  closeObject: 0x7d,
} as const;

/**
 * Whether the arrays and objects of JSON text nest deeper than {@link maximumJsonDepth}: found by
 * counting brackets outside strings, without parsing (and so without recursing).
 *
 * @example jsonNestsTooDeep('['.repeat(129) + ']'.repeat(129)) // true
 */
export function jsonNestsTooDeep(text: string): boolean {
  // Nesting deeper than the maximum takes more brackets than that: most texts are cleared by a count.
  if (openingBracketsAtMost(text, maximumJsonDepth)) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (char === Char.quote) i = closingQuoteOf(text, i);
    else if (char === Char.openArray || char === Char.openObject) {
      depth += 1;
      if (depth > maximumJsonDepth) return true;
    } else if (char === Char.closeArray || char === Char.closeObject) depth -= 1;
  }
  return false;
}

// Whether the text holds at most `limit` opening brackets, in strings or not: counted by indexOf,
// which scans far faster than a loop over the characters.
function openingBracketsAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['[', '{']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
      count += 1;
      if (count > limit) return false;
    }
  }
  return true;
}

// Where the string opened at `open` ends (the text's end when it does not): found by indexOf, as most
// of an event's text is in its strings.
function closingQuoteOf(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at >= 0; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === Char.backslash) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}
