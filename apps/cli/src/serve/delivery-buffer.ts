/** How a delivery buffer batches its records, like a Firehose stream's buffering hints. */
export interface DeliveryBufferOptions {
  /** Deliver once this many bytes of record data wait. */
  readonly bufferBytes: number;
  /** Deliver once the oldest waiting record has waited this long. */
  readonly bufferIntervalMs: number;
  /** Refuse records beyond this many waiting bytes, as Firehose throttles a stream it cannot keep up with. */
  readonly maxBufferedBytes: number;
  /**
   * Delivers every record waiting (they wait in the lake's spool, not here); a rejection leaves them
   * waiting for the next try.
   */
  readonly deliver: () => Promise<void>;
  /** Told about a delivery that failed, with the number of records it was to deliver. */
  readonly onDeliveryFailed: (error: unknown, records: number) => void;
}

/**
 * When one delivery stream delivers: counts the records waiting and starts a delivery when `bufferBytes` wait
 * or the oldest has waited `bufferIntervalMs`, whichever comes first, one delivery at a time. A failed delivery
 * leaves its records waiting; they are tried again after another interval. The records themselves are in the
 * lake's spool, on the disk, from the moment they are acknowledged.
 *
 * @example
 * ```ts
 * const buffer = new DeliveryBuffer({ bufferBytes: 5 * 2 ** 20, bufferIntervalMs: 60_000, maxBufferedBytes: 2 ** 26,
 *   deliver: () => spool.deliver().then(() => undefined), onDeliveryFailed: (error) => console.error(error) });
 * buffer.added(1, record.length); // once the record is in the spool
 * await buffer.flush();
 * ```
 */
export class DeliveryBuffer {
  private pendingRecords = 0;
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
    return this.pendingRecords;
  }

  /**
   * Whether a record of `bytes` bytes fits under `maxBufferedBytes` (a lone record always fits), with `alsoWaiting`
   * bytes accepted beyond those counted so far (the records of the same request before it).
   */
  accepts(bytes: number, alsoWaiting = 0): boolean {
    const waiting = this.pendingBytes + alsoWaiting;
    return waiting === 0 || waiting + bytes <= this.options.maxBufferedBytes;
  }

  /** Resolves once the buffer is not over `bufferBytes` behind a running delivery: how producers are slowed. */
  async whenReady(): Promise<void> {
    if (this.running && this.pendingBytes >= this.options.bufferBytes)
      await this.running.catch(() => undefined);
  }

  /** Counts records now waiting; starts a delivery when the buffer is full, or the interval clock when it was empty. */
  added(records: number, bytes: number): void {
    if (records === 0) return;
    this.pendingRecords += records;
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.options.bufferBytes) void this.flush();
    else this.startClock();
  }

  /** Delivers every record waiting now (after the delivery running, if any); never rejects. */
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

  /** Stops the interval clock; records still waiting stay until `flush`. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startClock(): void {
    if (this.timer !== undefined || this.pendingRecords === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.bufferIntervalMs);
    // The listening server keeps the process alive; a waiting buffer alone must not.
    this.timer.unref();
  }

  private async deliverPending(): Promise<void> {
    this.stop();
    if (this.pendingRecords === 0) return;
    const records = this.pendingRecords;
    const bytes = this.pendingBytes;
    this.pendingRecords = 0;
    this.pendingBytes = 0;
    try {
      this.running = this.options.deliver();
      await this.running;
    } catch (error) {
      this.pendingRecords += records;
      this.pendingBytes += bytes;
      this.options.onDeliveryFailed(error, records);
    } finally {
      this.running = undefined;
      this.startClock();
    }
  }
}
