/**
 * A helper's result that is JSON text already (`toJson`, `formatSESTags`), or JSON text meant to be
 * a string value (`toEscapedJson`): placed as JSON where the template expects a whole value, and as
 * its text inside a string.
 */
export class JsonText {
  /**
   * @param text - the JSON text.
   * @param asString - whether a whole value is the text as a string (toEscapedJson) or its JSON (toJson).
   * @param value - the value the text was made from, when it is plain JSON data already.
   */
  constructor(
    readonly text: string,
    readonly asString: boolean,
    readonly value?: unknown,
  ) {}

  // velocityjs concatenates values with `+` and in double-quoted strings.
  toString(): string {
    return this.text;
  }
}
