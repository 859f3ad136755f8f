/** A record accepted by PutRecord or PutRecordBatch and waiting in a delivery buffer. */
export interface BufferedRecord {
  readonly recordId: string;
  readonly data: Buffer;
  /** When the endpoint accepted it, in epoch milliseconds. */
  readonly arrivalTimestamp: number;
}

/** How a delivery buffer batches its records, like a Firehose stream's buffering hints. */
export interface DeliveryBufferOptions {
  /** Deliver once this many bytes of record data wait. */
  readonly bufferBytes: number;
  /** Deliver once the oldest waiting record has waited this long. */
  readonly bufferIntervalMs: number;
  /** Refuse records beyond this many waiting bytes, as Firehose throttles a stream it cannot keep up with. */
  readonly maxBufferedBytes: number;
  /** Writes the records to their destination; a rejection keeps them for the next try. */
  readonly deliver: (records: readonly BufferedRecord[]) => Promise<void>;
  /** Told about a delivery that failed; its records stay buffered. */
  readonly onDeliveryFailed: (error: unknown, records: readonly BufferedRecord[]) => void;
}

/**
 * The buffer of one delivery stream: collects records and hands them to `deliver` when `bufferBytes` wait or
 * the oldest has waited `bufferIntervalMs`, whichever comes first, one delivery at a time. A failed delivery
 * puts its records back in front and is tried again after another interval.
 *
 * @example
 * ```ts
 * const buffer = new DeliveryBuffer({ bufferBytes: 5 * 2 ** 20, bufferIntervalMs: 60_000, maxBufferedBytes: 2 ** 26,
 *   deliver: async (records) => console.log(`${records.length} records`), onDeliveryFailed: (error) => console.error(error) });
 * buffer.add({ recordId: '1', data: Buffer.from('{}'), arrivalTimestamp: Date.now() });
 * await buffer.flush();
 * ```
 */
export class DeliveryBuffer {
  private pending: BufferedRecord[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  // The last delivery started or queued, and the one queued behind it, if any: never more than one waits.
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: DeliveryBufferOptions) {}

  /** Bytes of record data waiting for delivery, the ones being delivered excluded. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Records waiting for delivery, the ones being delivered excluded. */
  get bufferedRecords(): number {
    return this.pending.length;
  }

  /** Whether a record of `bytes` bytes fits under `maxBufferedBytes` (a lone record always fits). */
  accepts(bytes: number): boolean {
    return this.pendingBytes === 0 || this.pendingBytes + bytes <= this.options.maxBufferedBytes;
  }

  /** Resolves once the buffer is not over `bufferBytes` behind a running delivery: how producers are slowed. */
  async whenReady(): Promise<void> {
    if (this.running && this.pendingBytes >= this.options.bufferBytes)
      await this.running.catch(() => undefined);
  }

  /** Adds a record; starts a delivery when the buffer is full, or the interval clock when it was empty. */
  add(record: BufferedRecord): void {
    this.pending.push(record);
    this.pendingBytes += record.data.length;
    if (this.pendingBytes >= this.options.bufferBytes) void this.flush();
    else this.startClock();
  }

  /** Delivers every record buffered now (after the delivery running, if any); never rejects. */
  flush(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.deliverPending();
    });
    this.queued = next;
    this.tail = next;
    return next;
  }

  /** Stops the interval clock; records still buffered stay until `flush`. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startClock(): void {
    if (this.timer !== undefined || this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.bufferIntervalMs);
    // The listening server keeps the process alive; a waiting buffer alone must not.
    this.timer.unref();
  }

  private async deliverPending(): Promise<void> {
    this.stop();
    if (this.pending.length === 0) return;
    const records = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    try {
      this.running = this.options.deliver(records);
      await this.running;
    } catch (error) {
      this.pending = records.concat(this.pending);
      this.pendingBytes += bytes;
      this.options.onDeliveryFailed(error, records);
    } finally {
      this.running = undefined;
      this.startClock();
    }
  }
}
