import * as fs from 'node:fs';
import * as path from 'node:path';
import { type TableName, canonicalTables, partitionPathOf } from '@engagement-db/canonical-model';
import type { FailureRecord } from '../failure-record';
import { makeFolder } from './durable-files';
import { toLakeRelative } from './lake-layout';
import type { StagedIngest } from './staged-ingest';
import { writingTo } from './storage-error';

// Buffered text is appended to its file once this much has gathered, keeping memory bounded.
const flushThresholdChars = 1 << 20;

/** Appends failure records to one JSON Lines file per arrival hour inside a staged ingest. */
export class FailureRecordWriter {
  private readonly pending = new Map<string, string[]>();
  private pendingChars = 0;
  private readonly files = new Set<string>();

  constructor(
    private readonly staged: StagedIngest,
    private readonly table: TableName,
  ) {}

  add(failure: FailureRecord): void {
    const relative = toLakeRelative(
      canonicalTables[this.table].errorPrefix,
      partitionPathOf(failure.arrivalTimestamp),
      `part-${this.staged.ingestId}.jsonl`,
    );
    const line = JSON.stringify(failure) + '\n';
    const lines = this.pending.get(relative);
    if (lines) lines.push(line);
    else this.pending.set(relative, [line]);
    this.pendingChars += line.length;
    if (this.pendingChars >= flushThresholdChars) this.flush();
  }

  /** Writes what is buffered and returns the lake-relative files written. */
  finish(): string[] {
    this.flush();
    return [...this.files].sort();
  }

  private flush(): void {
    for (const [relative, lines] of this.pending) {
      const file = this.staged.pathOf(relative);
      writingTo(file, () => {
        makeFolder(path.dirname(file));
        fs.appendFileSync(file, lines.join(''));
      });
      this.files.add(relative);
    }
    this.pending.clear();
    this.pendingChars = 0;
  }
}
