/**
 * A byte stream whose start can be looked at before it is read: what was looked at is read again by
 * {@link PeekedBytes.rest}. Stopping early (a `return()` on `rest()`) ends the stream underneath.
 *
 * @example
 * const bytes = new PeekedBytes(fs.createReadStream(file));
 * if ((await bytes.atLeast(2))[0] === 0x1f) ...; for await (const chunk of bytes.rest()) ...
 */
export class PeekedBytes {
  private readonly iterator: AsyncIterator<Buffer | string>;
  private chunks: Buffer[] = [];
  private size = 0;
  private done = false;

  constructor(source: AsyncIterable<Buffer | string>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Whether the stream has no more bytes than those read so far. */
  get ended(): boolean {
    return this.done;
  }

  /** How many bytes were read so far. */
  get length(): number {
    return this.size;
  }

  /** The bytes read so far. */
  get head(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** Reads one more piece of the stream and returns it; undefined once the stream has ended. */
  async readMore(): Promise<Buffer | undefined> {
    if (this.done) return undefined;
    const piece = await this.iterator.next();
    if (piece.done) {
      this.done = true;
      return undefined;
    }
    const chunk = typeof piece.value === 'string' ? Buffer.from(piece.value, 'utf8') : piece.value;
    this.chunks.push(chunk);
    this.size += chunk.length;
    return chunk;
  }

  /** The bytes read once at least `count` are (or the stream has ended). */
  async atLeast(count: number): Promise<Buffer> {
    while (this.size < count && (await this.readMore()));
    return this.head;
  }

  /** Leaves out the first `count` bytes read. */
  skip(count: number): void {
    const head = this.head;
    this.chunks = [head.subarray(count)];
    this.size = head.length - count;
  }

  /** Ends the stream without reading the rest. */
  async close(): Promise<void> {
    if (!this.done) await this.iterator.return?.();
    this.done = true;
  }

  /** The whole stream from its start (less what was skipped), read once. */
  async *rest(): AsyncGenerator<Buffer> {
    try {
      const read = this.chunks;
      this.chunks = [];
      this.size = 0;
      for (const chunk of read) if (chunk.length > 0) yield chunk;
      while (!this.done) {
        const piece = await this.iterator.next();
        if (piece.done) this.done = true;
        else yield typeof piece.value === 'string' ? Buffer.from(piece.value, 'utf8') : piece.value;
      }
    } finally {
      if (!this.done) await this.iterator.return?.();
    }
  }
}
