import { CommanderError } from 'commander';
import { terminalText } from './terminal-text';

/** Exit statuses of every command. */
export const ExitStatus = {
  ok: 0,
  /** Some input records failed; the good ones were still processed. */
  recordsFailed: 1,
  /** The command could not run: bad arguments, bad query, unreadable file. */
  unusable: 2,
} as const;
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];

/** A failure the user can act on: printed as one line, without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitStatus: ExitStatus = ExitStatus.unusable,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CliError';
  }
}

/**
 * The exit status an error ends the command with: a CliError's own; 0 for commander's `--help` and
 * `--version`, 2 for its usage errors (commander alone would exit 1, the status of failed records);
 * 2 for anything else.
 *
 * @example exitStatusOf(new CliError('no lake at /x')) // 2
 */
export function exitStatusOf(error: unknown): ExitStatus {
  if (error instanceof CliError) return error.exitStatus;
  if (error instanceof CommanderError && error.exitCode === 0) return ExitStatus.ok;
  return ExitStatus.unusable;
}

/**
 * What the command line prints for the error it ends with: a CliError's message, with the control
 * characters that came from input escaped; nothing for a usage error, whose message commander has
 * already printed; the stack of anything else, which is a bug.
 *
 * @example errorOutputOf(new CliError('no lake at /x')) // 'engagement-db: no lake at /x\n'
 */
export function errorOutputOf(error: unknown): string {
  if (error instanceof CliError)
    return `engagement-db: ${terminalText(error.message, { keepLineBreaks: true })}\n`;
  if (error instanceof CommanderError) return '';
  return `engagement-db: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}

/** Prints an error the way the command line shows them ({@link errorOutputOf}) and ends the process. */
export function exitWithCliError(error: unknown): never {
  process.stderr.write(errorOutputOf(error));
  process.exit(exitStatusOf(error));
}
