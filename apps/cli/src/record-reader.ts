import * as fs from 'node:fs';
import { type RawRecord, readJsonLines } from '@engagement-db/lake';
import { CliError } from './cli-error';
import type { CommandStreams } from './command-streams';
import { isJsonText } from './is-json-text';

/** The input name that stands for stdin. */
export const stdinInput = '-';

// An input whose first line is not JSON but starts with `{` is read as one pretty-printed document;
// past this size it is taken for JSON Lines with a broken first line, to keep memory bounded.
const largestDocument = 16 * 1024 * 1024;
const newline = 0x0a;

/**
 * Checks the files a command is given before it reads any: each exists and is a file, and stdin (`-`)
 * is given at most once. Throws CliError (exit status 2) naming the first that is not.
 */
export function checkInputFiles(files: readonly string[]): void {
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
      throw new CliError(`cannot read ${input}: ${(error as Error).message}`, undefined, { cause: error });
    }
  }
}

/**
 * The records of one input: each non-blank line is a record (JSON Lines), unless the first non-blank
 * line is not JSON but starts with `{` and the whole input is one JSON document (a pretty-printed
 * event, as editors and the AWS console write them), which is then one record. Line numbers are
 * the ones an editor shows.
 */
export async function* readRecords(
  input: AsyncIterable<Buffer | string>,
  origin: string,
): AsyncGenerator<RawRecord> {
  const iterator = input[Symbol.asyncIterator]();
  const read: Buffer[] = [];
  let size = 0;
  const next = async (): Promise<boolean> => {
    const piece = await iterator.next();
    if (piece.done) return false;
    const chunk = typeof piece.value === 'string' ? Buffer.from(piece.value, 'utf8') : piece.value;
    read.push(chunk);
    size += chunk.length;
    return true;
  };

  let first: FirstLine | undefined;
  let ended = false;
  while (first === undefined && !ended && size <= largestDocument) {
    ended = !(await next());
    first = firstLineOf(Buffer.concat(read), ended);
  }
  if (first !== undefined && startsDocument(first.text)) {
    while (!ended && size <= largestDocument) ended = !(await next());
    if (ended && size <= largestDocument) {
      const text = documentText(Buffer.concat(read).toString('utf8', first.start));
      if (isJsonText(text)) {
        yield { text, origin, line: first.line };
        return;
      }
    }
  }
  yield* readJsonLines(replay(read, iterator), origin);
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

async function* replay(
  read: readonly Buffer[],
  rest: AsyncIterator<Buffer | string>,
): AsyncGenerator<Buffer | string> {
  yield* read;
  for (let piece = await rest.next(); !piece.done; piece = await rest.next()) yield piece.value;
}
