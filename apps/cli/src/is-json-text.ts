/**
 * Whether a text is one whole JSON document: how the record reader (`map`, `ingest`) and `serve`
 * tell a pretty-printed event from JSON Lines.
 *
 * @example isJsonText('{\n  "a": 1\n}') // true; isJsonText('{"a":1}\n{"b":2}') // false
 */
export function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
