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

/** Prints an error the way the command line shows them and ends the process. */
export function exitWithCliError(error: unknown): never {
  if (error instanceof CliError) {
    process.stderr.write(`engagement-db: ${error.message}\n`);
    process.exit(error.exitStatus);
  }
  process.stderr.write(
    `engagement-db: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(ExitStatus.unusable);
}
