/**
 * A helper's result that is JSON text already (`toJson`, `formatSESTags`), or JSON text meant to be
 * a string value (`toEscapedJson`): placed as JSON where the template expects a whole value, and as
 * its text inside a string.
 *
 * A deferred one knows its text's length and makes the text when something reads it: a compiled
 * template charges the length and often only needs the value (a `tags` map, say). It is serialised
 * as an eager one is (`{text, asString, value}`), so a template cannot tell them apart.
 */
export class JsonText {
  #text: string | undefined;
  #length: number;

  /**
   * @param text - the JSON text.
   * @param asString - whether a whole value is the text as a string (toEscapedJson) or its JSON (toJson).
   * @param value - the value the text was made from, when it is plain JSON data already.
   */
  constructor(
    text: string,
    readonly asString: boolean,
    readonly value?: unknown,
  ) {
    this.#text = text;
    this.#length = text.length;
  }

  /**
   * The JSON text of data that does not change from now on (`JSON.stringify(value)`), made when first
   * read; `length` is that text's length.
   */
  static deferred(value: unknown, length: number): JsonText {
    const json = new JsonText('', false, value);
    json.#text = undefined;
    json.#length = length;
    return json;
  }

  get text(): string {
    return (this.#text ??= JSON.stringify(this.value) ?? 'null');
  }

  /** The length of {@link JsonText.text}, without making a deferred text. */
  get textLength(): number {
    return this.#length;
  }

  // velocityjs concatenates values with `+` and in double-quoted strings.
  toString(): string {
    return this.text;
  }

  toJSON(): { text: string; asString: boolean; value: unknown } {
    return { text: this.text, asString: this.asString, value: this.value };
  }
}
