// C0 controls, DEL, C1 controls (U+0085 and U+009B act as a line break and a CSI on some terminals),
// the line and paragraph separators, and the bidi controls that reorder what is shown.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const shortEscapes: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Text from input (a record, a file name, SQL) made safe to print on a terminal: every control
 * character is written as its JSON escape, so an ESC sequence in a record cannot move the cursor or
 * change colours, and a line break cannot make one message look like two. With `keepLineBreaks`,
 * `\n` stays (for messages of several lines, such as DuckDB's).
 *
 * @example terminalText('bad \u001b[2J record') // 'bad \\u001b[2J record'
 */
export function terminalText(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  return text.replace(controlCharacters, (character) =>
    character === '\n' && options.keepLineBreaks
      ? character
      : (shortEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}
