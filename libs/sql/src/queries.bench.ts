// Times every documented sample query over a 1,000,000-event lake against two plain DuckDB baselines over
// the same files: count(*), which DuckDB answers from the Parquet footers without reading a column, and a
// scan that reads every value of every column. Exits 1 when a query misses its target.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdbColumnsOf, eventTable } from '@engagement-db/canonical-model';
import { sampleQueries } from './sample-queries';
import { openQueryEngine } from './index';
import { timed } from '../test/bench-timing';

const eventCount = 1_000_000;
const days = 14;
const runs = 7;
const targetMillis = 2000;
const hourMillis = 3_600_000;

async function main(): Promise<void> {
  const lake = await benchLake();
  const files = path.join(lake, eventTable.prefix, '*', '*', '*', '*', '*.parquet');
  const baselineDb = await DuckDBInstance.create(':memory:');
  const baseline = await baselineDb.connect();
  const fileCount = await singleNumber(baseline, `SELECT count(*) FROM glob('${files}')`);
  const rowCount = await singleNumber(baseline, `SELECT count(*) FROM read_parquet('${files}')`);
  const footerCount = await timed(runs, () => baseline.run(`SELECT count(*) FROM read_parquet('${files}')`));
  const fullScan = await timed(runs, () =>
    baseline.run(`SELECT sum(hash(COLUMNS(*))) FROM read_parquet('${files}')`),
  );

  console.log(`lake: ${lake}`);
  console.log(
    `  ${rowCount.toLocaleString('en')} events counted in ${fileCount} files (${days} days, 5 channels)` +
      (rowCount === eventCount ? '' : `; ${eventCount.toLocaleString('en')} were asked for`),
  );
  console.log(`target: every sample query under ${targetMillis} ms (median wall time of ${runs} runs)\n`);
  console.log('baselines, plain DuckDB over the same files:');
  for (const [label, timing] of [
    ['count(*): answered from the Parquet footers, reads no column data', footerCount],
    ['sum(hash(every column)): reads every value of every column', fullScan],
  ] as const) {
    const rate = rowCount / (timing.wall / 1000) / 1e6;
    console.log(
      `  ${label.padEnd(68)}${timing.wall.toFixed(1).padStart(9)} ms${timing.cpu.toFixed(0).padStart(7)} ms CPU${rate.toFixed(1).padStart(8)} M rows/s`,
    );
  }
  console.log(
    `\n${'query'.padEnd(28)}${'median ms'.padStart(11)}${'CPU ms'.padStart(9)}${'x full scan'.padStart(13)}${'rows'.padStart(7)}  target < ${targetMillis} ms`,
  );
  const engine = await openQueryEngine({ lake });
  let missed = 0;
  for (const [name, { sql }] of Object.entries(sampleQueries)) {
    let rows = 0;
    const timing = await timed(runs, async () => {
      const result = await engine.query(sql);
      if (!result.ok) throw new Error(`${name}: ${result.message}`);
      rows = result.rows.length;
    });
    const withinTarget = timing.wall < targetMillis;
    if (!withinTarget) missed++;
    console.log(
      `${name.padEnd(28)}${timing.wall.toFixed(1).padStart(11)}${timing.cpu.toFixed(0).padStart(9)}${(timing.wall / fullScan.wall).toFixed(2).padStart(13)}${String(rows).padStart(7)}  ${withinTarget ? 'ok' : 'MISSED'}`,
    );
  }
  engine.close();
  baseline.closeSync();
  baselineDb.closeSync();
  if (missed > 0) {
    console.error(
      `\n${missed} sample ${missed === 1 ? 'query missed' : 'queries missed'} the ${targetMillis} ms target`,
    );
    process.exitCode = 1;
  }
}

async function singleNumber(connection: DuckDBConnection, sql: string): Promise<number> {
  return Number((await connection.runAndReadAll(sql)).getRows()[0][0]);
}

// The lake covers the 14 days before the current hour, so the sample queries' "last N days" filters see it;
// it is kept for the day it was made.
async function benchLake(): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const lake = path.join(os.tmpdir(), `engagement-db-bench-lake-${eventCount}-${today}`);
  const marker = path.join(lake, '_complete');
  if (fs.existsSync(marker)) return lake;
  fs.rmSync(lake, { recursive: true, force: true });
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const end = Math.floor(Date.now() / hourMillis) * hourMillis;
  const span = days * 24 * hourMillis;
  await connection.run(
    `CREATE TABLE generated AS SELECT ${generatedColumns(end - span, span)} FROM range(${eventCount}) AS r(i)`,
  );
  const hours = (
    await connection.runAndReadAll('SELECT DISTINCT hour_path FROM generated ORDER BY 1')
  ).getRows();
  for (const [hourPath] of hours) {
    const folder = path.join(lake, eventTable.prefix, String(hourPath));
    fs.mkdirSync(folder, { recursive: true });
    await connection.run(
      `COPY (SELECT * EXCLUDE (hour_path) FROM generated WHERE hour_path = '${hourPath}') TO '${path.join(folder, 'part-0.parquet')}' (FORMAT parquet)`,
    );
  }
  connection.closeSync();
  instance.closeSync();
  fs.writeFileSync(marker, '');
  console.log(`built the lake in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return lake;
}

function generatedColumns(start: number, span: number): string {
  const channel = `['email', 'text', 'media', 'voice', 'whatsapp'][i % 5 + 1]`;
  const expressions: Record<string, string> = {
    accountid: `'11112222' || (i % 3)`,
    organizationid: `CASE WHEN i % 7 = 0 THEN NULL ELSE 'org-' || (i % 4) END`,
    sendingid: `'sender-' || (i % 2)`,
    sendingaddress: `'+12065550100'`,
    destinationaddress: `CASE WHEN i % 5 = 0 THEN [CASE WHEN i % 1000 = 0 THEN 'example@email.com' ELSE 'user' || (i % 5000) || '@example.com' END] ELSE ['+1206555' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0')] END`,
    channel,
    type: `CASE WHEN i % 5 = 4 THEN ['messageStatus', 'message'][i % 2 + 1] WHEN i % 5 = 0 THEN ['Send', 'Delivery', 'Bounce', 'Complaint'][(i // 5) % 4 + 1] ELSE 'TEXT' END`,
    status: `CASE i % 5 WHEN 0 THEN ['Send', 'Delivery', 'Bounce', 'Complaint'][(i // 5) % 4 + 1] WHEN 4 THEN ['accepted', 'sent', 'delivered', 'read', 'error'][(i // 5) % 5 + 1] ELSE ['TEXT_DELIVERED', 'TEXT_SUCCESSFUL', 'TEXT_BLOCKED'][(i // 5) % 3 + 1] END`,
    statuscode: `NULL`,
    statusmessage: `NULL`,
    rawstatus: `'{}'`,
    isocountrycode: `['US', 'DE', 'FR', 'GB', 'IN'][(i // 5) % 5 + 1]`,
    timestamp: `CAST(${start} + (i * ${span}) // ${eventCount} AS BIGINT)`,
    messageid: `CASE WHEN i = ${eventCount - 7} THEN '01000193c01f592c-ad6098e1-7247-448b-9dce-5e4213584ab6-000000' ELSE 'msg-' || i END`,
    tags: `MAP {'campaign': 'c-' || (i % 10)}`,
    channeldata: `CASE WHEN i % 5 = 0 THEN MAP {'subject': 'Subject ' || (i % 20)} ELSE MAP {'isocountrycode': ['US', 'DE', 'FR', 'GB', 'IN'][(i // 5) % 5 + 1], 'totalmessageprice': '0.00' || (581 + i % 17), 'totalcarrierfee': '0.00' || (20 + i % 3)} END`,
    rawevent: `'{"eventType":"SENT","messageId":"msg-' || i || '"}'`,
    eventid: `md5(CAST(i AS VARCHAR))`,
  };
  const columns = duckdbColumnsOf(eventTable).map(
    (c) => `CAST(${expressions[c.name]} AS ${c.type}) AS "${c.name}"`,
  );
  return [
    ...columns,
    `strftime(make_timestamp((${start} + (i * ${span}) // ${eventCount}) * 1000), '%Y/%m/%d/%H') AS hour_path`,
  ].join(', ');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
