/**
 * What a command reads, writes and looks up: the process's own, unless a caller (a test) gives others.
 *
 * @example ingestCommand({ ...processStreams, stdout: { write: (text) => (out += text) } })
 */
export interface CommandStreams {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** `write` returning false means "wait for `drain`", as a Node stream does. */
  readonly stdout: {
    write(text: string): unknown;
    readonly isTTY?: boolean;
    once?(event: 'drain', listener: () => void): unknown;
  };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

// Getters: touching process.stdin opens it, which only the commands that read it should do.
/** The running process's stdin, stdout, stderr and environment. */
export const processStreams: CommandStreams = {
  get stdin() {
    return process.stdin;
  },
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get env() {
    return process.env;
  },
};
