import * as fs from 'node:fs';
import { type RawRecord, readJsonLines } from '@engagement-db/lake';
import type { MappingFailure } from '@engagement-db/mapper';
import { CliError } from './cli-error';
import type { CommandStreams } from './command-streams';
import { inputBytes } from './input-bytes';
import { isJsonText } from './is-json-text';
import { readJsonArrayRecords } from './json-array-records';
import { PeekedBytes } from './peeked-bytes';
import { terminalText } from './terminal-text';

/** The input name that stands for stdin. */
export const stdinInput = '-';

// An input whose first line is not JSON but starts with `{` is read as one pretty-printed document;
// past this size it is taken for JSON Lines with a broken first line, to keep memory bounded.
const largestDocument = 16 * 1024 * 1024;
const newline = 0x0a;
const openArray = 0x5b;
const isNotBlank = (byte: number): boolean =>
  byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09;

/**
 * Checks the files a command is given before it reads any: each exists, is a file that can be read
 * and holds text (or gzip of text), and stdin (`-`) is given at most once. Throws CliError (exit
 * status 2) naming the first that is not, so a binary file among many stops the command before any
 * output.
 */
export async function checkInputFiles(files: readonly string[]): Promise<void> {
  if (files.filter((file) => file === stdinInput).length > 1) {
    throw new CliError('- (stdin) is given more than once; stdin can be read only once');
  }
  for (const file of files) {
    if (file === stdinInput) continue;
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat)
      throw new CliError(`cannot read ${file}: no such file; expected a JSON Lines file or - for stdin`);
    if (!stat.isFile())
      throw new CliError(`cannot read ${file}: not a file; expected a JSON Lines file or - for stdin`);
    // Only the start is read: inputBytes judges it, and ends the stream when the caller stops.
    const bytes = inputBytes(fs.createReadStream(file), file);
    try {
      await bytes.next();
    } catch (error) {
      throw cannotRead(file, error);
    } finally {
      await bytes.return(undefined);
    }
  }
}

/**
 * The raw records of the inputs, in order (`-` reads stdin), each with its origin (the file name, or
 * `<stdin>`) and line number. Throws CliError when a file cannot be read.
 *
 * @example for await (const record of readInputs(['day.jsonl', '-'], streams.stdin)) map(record.text);
 */
export async function* readInputs(
  inputs: readonly string[],
  stdin: CommandStreams['stdin'],
): AsyncGenerator<RawRecord> {
  for (const input of inputs) {
    if (input === stdinInput) {
      yield* readRecords(stdin as AsyncIterable<Buffer | string>, '<stdin>');
      continue;
    }
    try {
      yield* readRecords(fs.createReadStream(input), input);
    } catch (error) {
      throw cannotRead(input, error);
    }
  }
}

/**
 * How `map` and `ingest` report a record that failed: `FILE:LINE: kind: message`, one line, with
 * the control characters that came from the input escaped (see {@link terminalText}).
 *
 * @example failureLine('day.jsonl', 3, error) // 'day.jsonl:3: unparseable-json: record is not JSON: ...'
 */
export function failureLine(origin: string, line: number, error: MappingFailure): string {
  return terminalText(`${origin}:${line}: ${error.kind}: ${error.message}`);
}

function cannotRead(input: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  return new CliError(`cannot read ${input}: ${(error as Error).message}`, undefined, { cause: error });
}

/**
 * The records of one input, read from its bytes as {@link inputBytes} gives them (gzip decompressed,
 * a byte order mark skipped, binary data refused):
 * - an input whose first non-blank character is `[` holds JSON arrays: each element is a record
 *   (see {@link readJsonArrayRecords});
 * - an input whose first non-blank line is not JSON but starts with `{`, and which is one JSON
 *   document as a whole (a pretty-printed event, as editors and the AWS console write them), is one
 *   record;
 * - otherwise each non-blank line is a record (JSON Lines).
 * Line numbers are the ones an editor shows.
 */
export async function* readRecords(
  input: AsyncIterable<Buffer | string>,
  origin: string,
): AsyncGenerator<RawRecord> {
  const bytes = new PeekedBytes(inputBytes(input, origin));
  let firstCharacter: number | undefined;
  for (
    let chunk = await bytes.readMore();
    firstCharacter === undefined && chunk;
    chunk = await bytes.readMore()
  )
    firstCharacter = chunk.find(isNotBlank);
  if (firstCharacter === openArray) {
    yield* readJsonArrayRecords(bytes.rest(), origin);
    return;
  }
  // The first line is looked for again only when a piece with a line break arrives.
  let first = firstLineOf(bytes.head, bytes.ended);
  while (first === undefined && !bytes.ended && bytes.length <= largestDocument) {
    const chunk = await bytes.readMore();
    if (!chunk || chunk.includes(newline)) first = firstLineOf(bytes.head, bytes.ended);
  }
  if (first !== undefined && startsDocument(first.text)) {
    while (!bytes.ended && bytes.length <= largestDocument) await bytes.readMore();
    if (bytes.ended && bytes.length <= largestDocument) {
      const text = documentText(bytes.head.toString('utf8', first.start));
      if (isJsonText(text)) {
        yield { text, origin, line: first.line };
        return;
      }
    }
  }
  yield* readJsonLines(bytes.rest(), origin);
}

interface FirstLine {
  readonly text: string;
  readonly line: number;
  /** Where it starts in the input, in bytes. */
  readonly start: number;
}

/** The first non-blank line of what was read, once it is complete (or the input has ended). */
function firstLineOf(head: Buffer, ended: boolean): FirstLine | undefined {
  let start = 0;
  for (let line = 1; start < head.length; line += 1) {
    const end = head.indexOf(newline, start);
    if (end < 0 && !ended) return undefined;
    const text = head.toString('utf8', start, end < 0 ? head.length : end).replace(/\r$/, '');
    if (text.trim() !== '') return { text, line, start };
    if (end < 0) return undefined;
    start = end + 1;
  }
  return undefined;
}

function startsDocument(firstLine: string): boolean {
  return firstLine.trimStart().startsWith('{') && !isJsonText(firstLine);
}

// The document's lines as an editor shows them: line breaks as `\n`, without the one that ends the file.
function documentText(text: string): string {
  return text.replace(/\n$/, '').replace(/\r\n/g, '\n').replace(/\r$/, '');
}
