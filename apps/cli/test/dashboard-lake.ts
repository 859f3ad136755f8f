// Lakes and checks the dashboard's tests share: generated activity of every channel (the demo's data) through
// the real mapper and lake, and the definition's own query of a visual run on the query engine.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TableName } from '@engagement-db/canonical-model';
import { type FilterSelection, engagementDashboard, visualQuery } from '@engagement-db/dashboards';
import { ingest } from '@engagement-db/lake';
import { createMapper } from '@engagement-db/mapper';
import type { QueryEngine } from '@engagement-db/sql';
import { generateActivity } from '@engagement-db/workload';

/** A new empty folder under the system's temp folder. */
export function tempFolder(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `engagement-db-${label}-`));
}

/**
 * Ingests `events` events of generated activity (14 days before `day`, every channel, with their WhatsApp
 * conversation records) into `lake`, as `engagement-db demo` does; one committed ingest per table.
 */
export async function fillLake(
  lake: string,
  events: number,
  day = new Date('2025-03-15T12:00:00Z'),
): Promise<void> {
  const activity = generateActivity({ events, day });
  const mapper = createMapper();
  for (const table of Object.values(TableName)) {
    const items = activity[table];
    async function* records() {
      for (let i = 0; i < items.length; i += 1)
        yield { text: items[i].text, origin: `test-${table}`, line: i + 1 };
    }
    await ingest({ lake, table, mapper, records: records(), mappingWorkers: 0 });
  }
}

/** The rows the definition's query of a visual gives on the engine: what the dashboard must show. */
export async function rowsOfVisual(
  engine: QueryEngine,
  sheet: string,
  visual: string,
  selection: FilterSelection = {},
): Promise<Record<string, unknown>[]> {
  const query = visualQuery(engagementDashboard, sheet, visual, selection);
  if (!query.ok) throw new Error(`${sheet}.${visual}: ${query.error.message}`);
  const result = await engine.query(query.value.sql, query.value.parameters);
  if (!result.ok) throw new Error(`${sheet}.${visual}: ${result.error.message}`);
  return result.value.rows;
}

/**
 * Whether two values a query gave are the same number: equal, or doubles that differ only in the last digits
 * (DuckDB adds doubles in parallel, in no fixed order). Anything else must be equal.
 */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return (
      actual === expected ||
      Math.abs(actual - expected) <= 1e-9 * Math.max(Math.abs(actual), Math.abs(expected))
    );
  }
  return JSON.stringify(actual) === JSON.stringify(expected);
}

/** The rows, with every double rounded to 9 significant digits, so that two runs of one query compare equal. */
export function comparable(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(9)) : value,
      ]),
    ),
  );
}
