import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import {
  type Mapper,
  type MappingFailure,
  MapperError,
  compileTemplates,
  createMapper,
  loadTemplateDirectory,
} from '@engagement-db/mapper';
import { CliError, ExitStatus } from '../cli-error';
import { type CommandStreams, processStreams } from '../command-streams';
import { isJsonText } from '../is-json-text';

const MapStream = { events: 'events', conversations: 'conversations' } as const;
type MapStream = (typeof MapStream)[keyof typeof MapStream];

interface MapCommandOptions {
  readonly stream: string;
  readonly templates?: string;
  readonly accountId?: string;
}

/** One raw record and where it came from. */
interface SourceRecord {
  readonly text: string;
  readonly line: number;
}

// A file whose first line is not JSON but starts with `{` is read as one pretty-printed document;
// past this size it is taken for JSON Lines with a broken first line, to keep memory bounded.
const largestDocument = 16 * 1024 * 1024;

/**
 * `engagement-db map [FILE...]`: maps raw events (JSON Lines, or a file holding one pretty-printed
 * JSON document) from files or stdin to canonical rows, written as JSON Lines to stdout. Each record
 * that cannot be mapped is reported on stderr as `FILE:LINE: kind: message`; the good ones are still
 * written, and the exit status is 1 when any record failed.
 *
 * @example
 * ```sh
 * engagement-db map events.jsonl > rows.jsonl
 * cat bounce.json | engagement-db map --account-id 111122223333
 * engagement-db map --stream conversations chat.jsonl
 * ```
 */
export function mapCommand(streams: CommandStreams = processStreams): Command {
  return new Command('map')
    .description(
      'Map raw SES, SMS/MMS/Voice and WhatsApp events (or conversation records) to canonical rows as JSON Lines.',
    )
    .argument('[file...]', 'JSON Lines files, or files holding one JSON document; "-" or none reads stdin')
    .option(
      '--stream <stream>',
      'events, or conversations for chatbot conversation records',
      MapStream.events,
    )
    .option(
      '--templates <dir>',
      'a folder with your own ses.vm, messaging.vm, whatsapp-message.vm and whatsapp-status.vm',
    )
    .option('--account-id <id>', 'the account id for events that carry none (default: $AWS_ACCOUNT_ID)')
    .action(async (files: string[], options: MapCommandOptions) => {
      const stream = streamOf(options.stream);
      const mapper = mapperOf(options, streams.env);
      const inputs = files.length === 0 ? ['-'] : files;
      for (const file of inputs) checkReadable(file);
      const tally = { records: 0, failures: 0 };
      for (const file of inputs) {
        const origin = file === '-' ? '<stdin>' : file;
        const input = file === '-' ? streams.stdin : createReadStream(file);
        for await (const record of recordsOf(input)) {
          tally.records++;
          const failure = await writeMapped(mapper, stream, record.text, streams.stdout);
          if (failure) {
            tally.failures++;
            streams.stderr.write(`${origin}:${record.line}: ${failure.kind}: ${failure.message}\n`);
          }
        }
      }
      if (tally.failures > 0) {
        throw new CliError(
          `map: ${tally.failures} of ${tally.records} records failed`,
          ExitStatus.recordsFailed,
        );
      }
    });
}

function streamOf(requested: string): MapStream {
  const known = Object.values(MapStream).find((stream) => stream === requested);
  if (!known)
    throw new CliError(`map: --stream is ${JSON.stringify(requested)}, expected events or conversations.`);
  return known;
}

function mapperOf(options: MapCommandOptions, env: CommandStreams['env']): Mapper {
  const accountId = options.accountId ?? (env.AWS_ACCOUNT_ID || undefined);
  if (options.templates === undefined) return createMapper({ accountId });
  try {
    return createMapper({ templates: compileTemplates(loadTemplateDirectory(options.templates)), accountId });
  } catch (error) {
    if (error instanceof MapperError)
      throw new CliError(`map: --templates ${options.templates}: ${error.message}`, ExitStatus.unusable, {
        cause: error,
      });
    throw error;
  }
}

function checkReadable(file: string): void {
  if (file === '-') return;
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CliError(
      `map: cannot read ${file} (${code}); give a JSON Lines file, or "-" for stdin.`,
      ExitStatus.unusable,
      { cause: error },
    );
  }
  if (!isFile) throw new CliError(`map: ${file} is not a file; give a JSON Lines file, or "-" for stdin.`);
}

/**
 * The records of one input, line by line: each non-blank line is a record, unless the first one is
 * not JSON and starts with `{`, in which case the whole input is tried as one document.
 */
async function* recordsOf(input: NodeJS.ReadableStream): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  let document: { firstLine: number; lines: string[]; size: number } | undefined;
  let first = true;
  for await (const line of lines) {
    number++;
    if (document) {
      document.lines.push(line);
      document.size += line.length + 1;
      if (document.size > largestDocument) {
        yield* linesAsRecords(document.lines, document.firstLine);
        document = undefined;
      }
      continue;
    }
    if (line.trim() === '') continue;
    if (first) {
      first = false;
      if (line.trimStart().startsWith('{') && !isJsonText(line)) {
        document = { firstLine: number, lines: [line], size: line.length + 1 };
        continue;
      }
    }
    yield { text: line, line: number };
  }
  if (document) {
    const text = document.lines.join('\n');
    if (isJsonText(text)) yield { text, line: document.firstLine };
    else yield* linesAsRecords(document.lines, document.firstLine);
  }
}

function* linesAsRecords(lines: readonly string[], firstLine: number): Generator<SourceRecord> {
  for (const [index, line] of lines.entries()) {
    if (line.trim() !== '') yield { text: line, line: firstLine + index };
  }
}

/** Maps one record and writes its rows, waiting when stdout is full; returns the failure, if any. */
async function writeMapped(
  mapper: Mapper,
  stream: MapStream,
  text: string,
  stdout: CommandStreams['stdout'],
): Promise<MappingFailure | undefined> {
  let output = '';
  if (stream === MapStream.events) {
    const result = mapper.mapEvent(text);
    if (!result.ok) return result.failure;
    for (const event of result.events) output += `${JSON.stringify(event)}\n`;
  } else {
    const result = mapper.mapConversation(text);
    if (!result.ok) return result.failure;
    output = `${JSON.stringify(result.conversation)}\n`;
  }
  if (output !== '' && !stdout.write(output) && stdout.once) {
    const drain = stdout.once.bind(stdout);
    await new Promise<void>((resolve) => drain('drain', resolve));
  }
  return undefined;
}
