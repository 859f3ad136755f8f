// Appends records to a spool and delivers them, as `serve` does, until it is killed (see
// spool-crash.test.ts). Arguments: LAKE ACK_FILE. Record n is the conversation record with messageId
// `crash-n`, or every seventh one a record that is not JSON but names it; n counts from 1.
// Before an append it writes `send FIRST LAST` to ACK_FILE, after the append resolved `ack FIRST LAST`
// (with writeSync, so the line is in the file even when the process is killed right after).
import * as fs from 'node:fs';
import { createMapper } from '@engagement-db/mapper';
import { RecordSpool } from '../src/record-spool';
import { spoolRecordOf } from './spool-records';

async function main(): Promise<void> {
  const [lake, ackFile] = process.argv.slice(2);
  const acks = fs.openSync(ackFile, 'a');
  const spool = await RecordSpool.open({ lake, table: 'conversations', mapper: createMapper() });
  let next = 1;
  const appender = async (): Promise<void> => {
    for (;;) {
      const first = next;
      const count = 1 + Math.floor(Math.random() * 40);
      next += count;
      const records = Array.from({ length: count }, (_, i) => spoolRecordOf(first + i));
      fs.writeSync(acks, `send ${first} ${first + count - 1}\n`);
      await spool.append(records);
      fs.writeSync(acks, `ack ${first} ${first + count - 1}\n`);
    }
  };
  const deliverer = async (): Promise<void> => {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      await spool.deliver();
    }
  };
  await Promise.all([appender(), appender(), appender(), deliverer()]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
