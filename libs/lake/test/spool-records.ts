import type { SpoolRecord } from '../src/record-spool';

/**
 * Record n of a spool test: a chatbot conversation record whose messageId is `crash-n`, or, every
 * seventh, a record that is not JSON (so it becomes a failure record) and still names `crash-n`.
 */
export function spoolRecordOf(n: number): SpoolRecord {
  const text =
    n % 7 === 0
      ? `{"broken": "crash-${n}"`
      : JSON.stringify({
          accountId: '123456',
          messageId: `crash-${n}`,
          sendingAddress: '+13175550441',
          destinationAddress: '+13155539253',
          channel: 'whatsapp',
          direction: 'inbound',
          source: 'bedrockkb',
          timestamp: 1731523485968 + n,
          message: `hello ${n}`,
        });
  return { recordId: `r${n}`, data: Buffer.from(text), arrivalTimestamp: Date.UTC(2025, 2, 14, 9, 30) };
}

/** The `crash-n` number a record text names. */
export function numberOf(text: string): number {
  return Number(/crash-(\d+)/.exec(text)?.[1]);
}
