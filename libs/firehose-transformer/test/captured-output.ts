/** One JSON line the Powertools Logger or Metrics wrote. */
export type OutputLine = Record<string, unknown>;

/**
 * Collects what Powertools writes while `act` runs, without letting it through to the test output:
 * EMF metric documents and info logs go to stdout, warnings and errors to stderr.
 */
export async function captureOutput<T>(act: () => Promise<T>): Promise<{ value: T; lines: OutputLine[] }> {
  const chunks: string[] = [];
  const collect = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(collect),
    jest.spyOn(process.stderr, 'write').mockImplementation(collect),
  ];
  try {
    const value = await act();
    return { value, lines: parseLines(chunks.join('')) };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** The log lines among the output: those with a `message`, optionally only those with this one. */
export function logLines(lines: OutputLine[], message?: string): OutputLine[] {
  return lines.filter(
    (line) => typeof line.message === 'string' && (message === undefined || line.message === message),
  );
}

/** The Embedded Metric Format documents among the output. */
export function metricDocuments(lines: OutputLine[]): OutputLine[] {
  return lines.filter((line) => typeof line._aws === 'object');
}

function parseLines(text: string): OutputLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as OutputLine);
}
