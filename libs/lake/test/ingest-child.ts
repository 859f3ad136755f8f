// Runs one ingest in its own process so a test can kill it at any moment (see crash-safety.test.ts).
// Arguments: LAKE INPUT_JSONL CHUNK_ROWS. Prints `progress <records>` lines, then `done <report JSON>`.
import * as fs from 'node:fs';
import { createMapper } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { readJsonLines } from '../src/raw-record';

async function main(): Promise<void> {
  const [lake, input, chunkRows] = process.argv.slice(2);
  const report = await ingest({
    lake,
    table: 'events',
    mapper: createMapper(),
    records: readJsonLines(fs.createReadStream(input), input),
    chunkRows: Number(chunkRows),
    onProgress: ({ records }) => process.stdout.write(`progress ${records}\n`),
  });
  process.stdout.write(
    `done ${JSON.stringify({ rowsWritten: report.rowsWritten, skipped: report.skippedAsDuplicateOf ?? null })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
