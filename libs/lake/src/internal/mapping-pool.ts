import { Worker } from 'node:worker_threads';
import { MappingWorkerError } from '../errors';
import type { MappedBatch, MappingReply, MappingRequest, MappingWorkerData } from './mapped-batch';

// Sources run through tsx (tests, benchmarks): the worker needs the TypeScript loader and the
// source condition the main thread was started with. `--import tsx` does not reach a worker's
// CommonJS entry on Node 20, `--require tsx/cjs` does.
const typeScriptExecArgv = ['--require', 'tsx/cjs', '--conditions=@engagement-db/source'];

interface Pending {
  resolve(batch: MappedBatch): void;
  reject(error: MappingWorkerError): void;
}

/**
 * Worker threads that map batches of record texts for one ingest. Batches go to the least busy
 * worker; each answer resolves its own promise, so callers keep input order by awaiting in order.
 * A worker that fails to start, throws or exits fails every batch it holds and every later one.
 */
export class MappingPool {
  private readonly workers: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: MappingWorkerError | undefined;
  private closing = false;

  constructor(
    private readonly script: string,
    count: number,
    data: MappingWorkerData,
  ) {
    const execArgv = script.endsWith('.ts') ? { execArgv: typeScriptExecArgv } : {};
    try {
      for (let i = 0; i < count; i += 1) {
        const worker = new Worker(script, { workerData: data, ...execArgv });
        worker.on('message', (reply: MappingReply) => this.answer(worker, reply));
        worker.on('error', (error: unknown) => this.fail(worker, `threw ${describe(error)}`, error));
        worker.on('messageerror', (error) =>
          this.fail(worker, `sent a message that could not be read: ${describe(error)}`, error),
        );
        worker.on('exit', (code) => this.fail(worker, `exited with code ${code}`));
        this.workers.push(worker);
        this.busy.set(worker, 0);
      }
    } catch (error) {
      void this.close();
      throw new MappingWorkerError(
        `Cannot start mapping worker ${this.workers.length + 1} of ${count} from ${script}: ${describe(error)}. ` +
          'Expected a loadable worker script; check mappingWorkerScript, or ingest with mappingWorkers: 0 (--workers 0).',
        { cause: error },
      );
    }
  }

  /** Maps one batch on the least busy worker. */
  map(texts: string[]): Promise<MappedBatch> {
    if (this.failure) return Promise.reject(this.failure);
    let worker = this.workers[0];
    for (const candidate of this.workers)
      if ((this.busy.get(candidate) ?? 0) < (this.busy.get(worker) ?? 0)) worker = candidate;
    const id = this.nextId++;
    const request: MappingRequest = { id, texts };
    return new Promise<MappedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.busy.set(worker, (this.busy.get(worker) ?? 0) + 1);
      worker.postMessage(request);
    });
  }

  /** Whether every worker already holds at least `batches` batches, so another would only wait in line. */
  isBehind(batches: number): boolean {
    for (const count of this.busy.values()) if (count < batches) return false;
    return true;
  }

  /** Stops every worker; batches still pending are dropped. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private answer(worker: Worker, reply: MappingReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    this.busy.set(worker, (this.busy.get(worker) ?? 1) - 1);
    pending.resolve(reply.batch);
  }

  private fail(worker: Worker, what: string, cause?: unknown): void {
    if (this.closing) return;
    // 'error' is followed by 'exit'; the first says more.
    this.failure ??= new MappingWorkerError(
      `Mapping worker ${worker.threadId} (${this.script}) ${what} while mapping records. ` +
        'Expected it to map every batch; nothing of this ingest was committed. Check that the worker script ' +
        'belongs to this build and its templates compile, or ingest with mappingWorkers: 0 (--workers 0).',
      { cause },
    );
    // The ingest cannot complete without every batch, so every waiting batch fails at once.
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
