// The errors the Athena view handler throws. The provider framework sends an error's message and
// stack to CloudFormation as the reason of a failed deployment, in a response of at most 4 KB, so
// each error is one line of bounded size with no stack frames (the handler's frames tell a deployer
// nothing; the log group has them).

/**
 * The most bytes a message takes in the JSON response: the rest of the response (stack id, request
 * id, logical and physical ids, the query id, the framework's `Logs:` line) stays under 1.5 KB.
 */
export const maxMessageBytes = 2048;

/**
 * The base of the handler's errors: a one-line message, whitespace runs collapsed, cut to
 * {@link maxMessageBytes} as JSON text, with a stack that is the message alone.
 *
 * @example throw new AthenaViewError('CREATE OR REPLACE VIEW "db"."v" failed: ...');
 */
export class AthenaViewError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(boundedLine(message), options);
    this.name = 'AthenaViewError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** The resource's properties cannot be a view: a wrong name, a statement for another view, a hash that does not match. */
export class AthenaViewPropertiesError extends AthenaViewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AthenaViewPropertiesError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** Athena refused a statement or ran it and failed: the message carries Athena's reason. */
export class AthenaViewQueryError extends AthenaViewError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AthenaViewQueryError';
    this.stack = `${this.name}: ${this.message}`;
  }
}

const ellipsis = '…';

/**
 * The text on one line, cut on a character boundary so that it takes at most `maxBytes` bytes as a
 * JSON string (quotes and escapes counted), ending with `…` when it was cut.
 *
 * @example boundedLine('a\n  b') // 'a b'
 */
export function boundedLine(text: string, maxBytes = maxMessageBytes): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const jsonBytes = (s: string) => Buffer.byteLength(JSON.stringify(s), 'utf8');
  if (jsonBytes(line) <= maxBytes) return line;
  let budget = maxBytes - jsonBytes(ellipsis);
  let cut = '';
  for (const character of line) {
    budget -= jsonBytes(character) - 2;
    if (budget < 0) break;
    cut += character;
  }
  return cut + ellipsis;
}
