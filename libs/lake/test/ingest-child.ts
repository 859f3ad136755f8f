// Runs one ingest in its own process so a test can kill it at any moment (see crash-safety.test.ts),
// run two at once (ingest.test.ts), or make it fail while its workers are busy (ingest-failures.test.ts).
// Arguments: LAKE INPUT_JSONL CHUNK_ROWS [WORKERS [FAULT]]. Prints `progress <records>` lines, then
// `done <report JSON>`; on failure prints `failed <name>: <message>` and exits 2, as the command does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMapper } from '@engagement-db/mapper';
import { ingest } from '../src/ingest';
import { faultPoints } from '../src/internal/fault-points';
import { readJsonLines } from '../src/raw-record';

/** Failures a test can ask for by name; each strikes while the mapping workers are busy. */
const faults: Record<string, () => string | undefined> = {
  none: () => undefined,
  // A real DuckDB failure, as a row DuckDB cannot read makes it: the first chunk's spool gets a broken
  // first line just before its COPY, while the mapping workers go on with the next chunk.
  'parquet-copy': () => {
    let copies = 0;
    faultPoints.beforeParquetCopy = (spool) => {
      if (++copies === 1)
        fs.writeFileSync(spool, Buffer.concat([Buffer.from('{"not json\n'), fs.readFileSync(spool)]));
    };
    return undefined;
  },
  'thrown-bug': () => {
    faultPoints.afterBatchApplied = (batch) => {
      if (batch === 5) throw new TypeError("Cannot read properties of undefined (reading 'hours')");
    };
    return undefined;
  },
  'disk-full': () => {
    let writes = 0;
    faultPoints.beforeWrite = (target) => {
      if (++writes === 6)
        throw Object.assign(new Error(`ENOSPC: no space left on device, write`), {
          code: 'ENOSPC',
          path: target,
        });
    };
    return undefined;
  },
  commit: () => {
    faultPoints.beforeCommit = () => {
      throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    };
    return undefined;
  },
  'worker-crash': () => path.join(__dirname, 'crashing-mapping-worker.ts'),
  // Not a failure: waits before looking for identical input until a second ingest has got as far
  // (both touch a file in the folder named by BARRIER), so two ingests check at the same moment.
  barrier: () => {
    faultPoints.beforeDuplicateCheck = async () => {
      const folder = process.env.BARRIER as string;
      fs.writeFileSync(path.join(folder, String(process.pid)), '');
      while (fs.readdirSync(folder).length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    return undefined;
  },
};

async function main(): Promise<void> {
  const [lake, input, chunkRows, workers = '0', fault = 'none'] = process.argv.slice(2);
  const mappingWorkerScript = faults[fault]();
  const report = await ingest({
    lake,
    table: 'events',
    mapper: createMapper(),
    records: readJsonLines(fs.createReadStream(input), input),
    chunkRows: Number(chunkRows),
    mappingWorkers: Number(workers),
    ...(mappingWorkerScript ? { mappingWorkerScript } : {}),
    onProgress: ({ records }) => process.stdout.write(`progress ${records}\n`),
  });
  process.stdout.write(
    `done ${JSON.stringify({ rowsWritten: report.rowsWritten, skipped: report.skippedAsDuplicateOf ?? null })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stdout.write(
    `failed ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
  process.exit(2);
});
