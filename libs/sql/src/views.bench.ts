// Times every analytics view over a lake of 1,000,000 events of generated activity (the demo's data, through
// the real mapper and ingest; `SQL_BENCH_EVENTS` for another size) against a plain DuckDB count(*) over the same files, and states the share of the
// lake's bytes (Parquet column chunk sizes) each view reads against what the documented view SQL, which
// parsed rawevent with json_extract_scalar, would read. Exits 1 when a view misses its target.
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { eventTable } from '@engagement-db/canonical-model';
import { measure } from '@engagement-db/workload';
import { benchEventCount, benchLake } from '../test/bench-lake';
import { type QueryEngine, analyticsViews, openQueryEngine } from './index';

const runs = 5;
const targetMillis = 1000;
const fullStatusTargetMillis = 2000;

/**
 * The event columns the documented views read (their SQL as the original product deployed it): every
 * one of them also parsed `rawevent`, the largest column, with json_extract_scalar.
 */
const documentedColumns: Readonly<Record<string, readonly string[]>> = {
  email_message_status: [
    'messageid',
    'sendingaddress',
    'destinationaddress',
    'timestamp',
    'type',
    'rawevent',
    'tags',
    'channeldata',
    'channel',
  ],
  sms_message_status: [
    'messageid',
    'channeldata',
    'type',
    'destinationaddress',
    'sendingaddress',
    'rawevent',
    'timestamp',
    'tags',
    'channel',
  ],
  voice_message_status: [
    'messageid',
    'channeldata',
    'destinationaddress',
    'sendingaddress',
    'rawevent',
    'timestamp',
    'tags',
    'channel',
  ],
  whatsapp_message_status: [
    'messageid',
    'sendingaddress',
    'destinationaddress',
    'status',
    'timestamp',
    'rawevent',
    'statuscode',
    'channel',
    'type',
  ],
  whatsapp_conversation_view: [
    'rawevent',
    'messageid',
    'timestamp',
    'sendingaddress',
    'destinationaddress',
    'statuscode',
    'channel',
    'type',
    'status',
  ],
};
// A rate view reads what its status view reads; the documented MMS views were the SMS ones, renamed.
const documentedColumnsOf = (view: string): readonly string[] => {
  const status = view
    .replace('_conversion_rates_view', '_message_status')
    .replace('_message_conversion_rates', '_message_status');
  return documentedColumns[status] ?? documentedColumns[status.replace('media_', 'sms_')];
};

async function main(): Promise<void> {
  const lake = await benchLake(benchEventCount);
  const files = path.join(lake, eventTable.prefix, '*', '*', '*', '*', '*.parquet');
  const baselineDb = await DuckDBInstance.create(':memory:');
  const baseline = await baselineDb.connect();
  const rowCount = Number(
    (await baseline.runAndReadAll(`SELECT count(*) FROM read_parquet('${files}')`)).getRows()[0][0],
  );
  const count = await measure(runs, () => baseline.run(`SELECT count(*) FROM read_parquet('${files}')`));
  const columnBytes = new Map(
    (
      await baseline.runAndReadAll(
        `SELECT split_part(path_in_schema, ', ', 1) AS column_name, sum(total_compressed_size)::BIGINT AS bytes FROM parquet_metadata('${files}') GROUP BY 1`,
      )
    )
      .getRows()
      .map(([column, bytes]) => [String(column), Number(bytes)]),
  );
  const lakeBytes = [...columnBytes.values()].reduce((sum, bytes) => sum + bytes, 0);
  const shareOf = (columns: Iterable<string>) =>
    [...new Set(columns)].reduce((sum, column) => sum + (columnBytes.get(column) ?? 0), 0) / lakeBytes;

  console.log(`lake: ${lake}`);
  console.log(
    `  ${rowCount.toLocaleString('en')} events, ${(lakeBytes / 2 ** 20).toFixed(1)} MiB of Parquet column data`,
  );
  console.log(
    `baseline: count(*) over the same files in plain DuckDB: ${count.wallMs.toFixed(1)} ms (${count.cpuMs.toFixed(0)} ms CPU)`,
  );
  console.log(
    `targets: every view under ${targetMillis} ms, email_message_status in full under ${fullStatusTargetMillis} ms ` +
      `(median wall time of ${runs} runs, every column of every row computed)\n`,
  );
  console.log(
    `${'view'.padEnd(34)}${'median ms'.padStart(10)}${'CPU ms'.padStart(8)}${'x count(*)'.padStart(12)}${'rows'.padStart(9)}` +
      `${'bytes read'.padStart(12)}${'documented'.padStart(12)}  target`,
  );
  const engine = await openQueryEngine({ lake });
  let missed = 0;
  for (const view of analyticsViews) {
    // Every column of every row is computed, none is sent to JavaScript.
    const sql = `SELECT count(*) AS row_count, sum(hash(COLUMNS(*))) FROM "${view.name}"`;
    let rows = 0;
    const timing = await measure(runs, async () => {
      rows = Number(answer(await engine.query(sql), view.name)[0].row_count);
    });
    const target = view.name === 'email_message_status' ? fullStatusTargetMillis : targetMillis;
    const withinTarget = timing.wallMs < target;
    if (!withinTarget) missed++;
    const read = shareOf(await columnsRead(engine, sql));
    const documented = shareOf(documentedColumnsOf(view.name));
    console.log(
      `${view.name.padEnd(34)}${timing.wallMs.toFixed(0).padStart(10)}${timing.cpuMs.toFixed(0).padStart(8)}` +
        `${(timing.wallMs / count.wallMs).toFixed(1).padStart(12)}${String(rows).padStart(9)}` +
        `${percent(read).padStart(12)}${percent(documented).padStart(12)}  < ${target} ms ${withinTarget ? 'ok' : 'MISSED'}`,
    );
  }
  engine.close();
  baseline.closeSync();
  baselineDb.closeSync();
  console.log(
    '\nbytes read: the Parquet column chunks of the columns the view reads, as a share of all column chunks;\n' +
      'documented: the same for the columns the documented view SQL reads (rawevent among them).',
  );
  if (missed > 0) {
    console.error(`\n${missed} ${missed === 1 ? 'view missed its target' : 'views missed their targets'}`);
    process.exitCode = 1;
  }
}

function answer(result: Awaited<ReturnType<QueryEngine['query']>>, view: string): Record<string, unknown>[] {
  if (!result.ok) throw new Error(`${view}: ${result.error.message}`);
  return result.value.rows;
}

// The columns DuckDB's Parquet scans read for a query, from its physical plan.
async function columnsRead(engine: QueryEngine, sql: string): Promise<string[]> {
  const rows = answer(await engine.query(`EXPLAIN (FORMAT json) ${sql}`), sql);
  const columns: string[] = [];
  const visit = (node: {
    name?: string;
    children?: unknown[];
    extra_info?: { Projections?: string | string[] };
  }) => {
    if (node.name === 'READ_PARQUET') {
      const projections = node.extra_info?.Projections ?? [];
      columns.push(...(Array.isArray(projections) ? projections : projections.split('\n')));
    }
    (node.children ?? []).forEach((child) => visit(child as typeof node));
  };
  (JSON.parse(String(rows[0].explain_value)) as unknown[]).forEach((node) => visit(node as never));
  return columns.map((column) => column.trim()).filter((column) => column !== '');
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
