import { DeliveryBuffer, type DeliveryBufferOptions } from './delivery-buffer';

/**
 * A buffer over a destination that, like the lake's spool, holds the waiting records itself and
 * delivers all of them at once; it can be made to fail.
 */
function bufferWithDestination(options: Partial<DeliveryBufferOptions> = {}) {
  const waiting: string[] = [];
  const delivered: string[][] = [];
  const failures: string[] = [];
  const destination = { failing: false, running: 0, mostRunning: 0 };
  let deliveries = 0;
  let onDelivery: () => void = () => undefined;
  const buffer = new DeliveryBuffer({
    bufferBytes: 100,
    bufferIntervalMs: 60_000,
    maxBufferedBytes: 1_000,
    deliver: async () => {
      destination.running += 1;
      destination.mostRunning = Math.max(destination.mostRunning, destination.running);
      const taken = waiting.splice(0);
      await new Promise((resolve) => setTimeout(resolve, 5));
      destination.running -= 1;
      deliveries += 1;
      onDelivery();
      if (destination.failing) {
        waiting.unshift(...taken);
        throw new Error('the lake folder is read-only');
      }
      delivered.push(taken);
    },
    onDeliveryFailed: (error, records) => failures.push(`${records}: ${(error as Error).message}`),
    ...options,
  });
  const add = (id: string, bytes = 10): void => {
    waiting.push(id);
    buffer.added(1, bytes);
  };
  const nextDelivery = (): Promise<void> => new Promise((resolve) => (onDelivery = resolve));
  return { buffer, add, delivered, failures, destination, nextDelivery, deliveries: () => deliveries };
}

// A delivery asked for starts on a later turn of the event loop.
const startOfDelivery = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryBuffer', () => {
  it('delivers as soon as bufferBytes wait', async () => {
    const { buffer, add, delivered, nextDelivery } = bufferWithDestination();
    const delivery = nextDelivery();

    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) add(id);
    await delivery;
    await buffer.flush();

    expect(delivered).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']]);
    expect(buffer.bufferedRecords).toBe(0);
  });

  it('holds records under bufferBytes until the interval passes', async () => {
    const { buffer, add, delivered, nextDelivery } = bufferWithDestination({ bufferIntervalMs: 40 });

    const delivery = nextDelivery();
    add('a');
    add('b');
    const heldAtFirst = [...delivered];
    await delivery;
    await buffer.flush();

    expect(heldAtFirst).toEqual([]);
    expect(delivered).toEqual([['a', 'b']]);
  });

  it('keeps the records of a failed delivery, in order, for the next try', async () => {
    const { buffer, add, delivered, failures, destination } = bufferWithDestination();
    destination.failing = true;
    add('a');
    add('b');

    await buffer.flush();
    add('c');
    const keptBytes = buffer.bufferedBytes;
    destination.failing = false;
    await buffer.flush();

    expect(failures).toEqual(['2: the lake folder is read-only']);
    expect(keptBytes).toBe(30);
    expect(delivered).toEqual([['a', 'b', 'c']]);
  });

  it('tries a failed delivery again after the interval', async () => {
    const { buffer, add, delivered, destination, nextDelivery, deliveries } = bufferWithDestination({
      bufferIntervalMs: 30,
    });
    destination.failing = true;

    const failed = nextDelivery();
    add('a');
    await failed;
    destination.failing = false;
    const retried = nextDelivery();
    await retried;
    await buffer.flush();
    buffer.stop();

    expect(deliveries()).toBe(2);
    expect(delivered).toEqual([['a']]);
  });

  it('runs one delivery at a time and queues at most one more', async () => {
    const { buffer, add, delivered, destination, deliveries } = bufferWithDestination();

    add('a', 100);
    await startOfDelivery();
    add('b', 100);
    add('c', 100);
    const flushes = [buffer.flush(), buffer.flush(), buffer.flush()];
    await Promise.all(flushes);

    expect(destination.mostRunning).toBe(1);
    expect(deliveries()).toBe(2);
    expect(delivered).toEqual([['a'], ['b', 'c']]);
  });

  it('does not deliver when nothing waits', async () => {
    const { buffer, deliveries } = bufferWithDestination();

    await buffer.flush();

    expect(deliveries()).toBe(0);
  });

  it.each([
    { waiting: 0, bytes: 5_000, accepted: true, why: 'a lone record always fits' },
    { waiting: 90, bytes: 910, accepted: true, why: 'exactly maxBufferedBytes fits' },
    { waiting: 90, bytes: 911, accepted: false, why: 'one byte over is refused' },
  ])(
    'answers accepts($bytes) with $accepted when $waiting bytes wait: $why',
    ({ waiting, bytes, accepted }) => {
      const { buffer, add } = bufferWithDestination({ bufferBytes: 10_000 });
      if (waiting > 0) add('waiting', waiting);

      const answer = buffer.accepts(bytes);
      buffer.stop();

      expect(answer).toBe(accepted);
    },
  );

  it('makes producers wait for the running delivery once bufferBytes wait behind it', async () => {
    const { buffer, add, delivered } = bufferWithDestination();
    add('a', 100);
    await startOfDelivery();
    add('b', 100);

    await buffer.whenReady();
    const deliveredWhenReady = delivered.map((ids) => [...ids]);
    await buffer.flush();

    expect(deliveredWhenReady).toEqual([['a']]);
  });
});
