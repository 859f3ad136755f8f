import { CdkAppError } from '@engagement-db/cdk-kit';

/**
 * Runs a command's `main` and sets its exit status; a configuration or usage error (`CdkAppError`) is
 * printed as its one message, anything else is a bug and thrown with its stack.
 *
 * @example runCommand(main);
 */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (status) => (process.exitCode = status),
    (error: unknown) => {
      if (!(error instanceof CdkAppError)) throw error;
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
