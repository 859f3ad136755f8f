import { PassThrough } from 'node:stream';
import { errorOutputOf, exitStatusOf } from '../src/cli-error';
import { engagementDbProgram } from '../src/main';

/** What one in-process run of the `engagement-db` program printed, and the status it would exit with. */
export interface ProgramRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
  /** The error the run ended with, if any (a CliError, a CommanderError, or a bug). */
  readonly error?: unknown;
}

/**
 * Runs `engagement-db ARGS` in this process, as the built command runs it (the same program, the
 * same output and exit statuses), with `stdin` as its stdin (a terminal when not given) and an empty environment.
 *
 * @example const run = await runProgram(['map', 'day.jsonl']); expect(run.status).toBe(0);
 */
export async function runProgram(
  args: readonly string[],
  options: { stdin?: string | Buffer; env?: Record<string, string> } = {},
): Promise<ProgramRun> {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdin === undefined });
  stdin.end(options.stdin ?? '');
  let stdout = '';
  let stderr = '';
  const program = engagementDbProgram({
    stdin,
    stdout: { write: (text: string) => ((stdout += text), true) },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? {},
  });
  try {
    await program.parseAsync(['node', 'engagement-db', ...args]);
    return { stdout, stderr, status: 0 };
  } catch (error) {
    return { stdout, stderr: stderr + errorOutputOf(error), status: exitStatusOf(error), error };
  }
}
