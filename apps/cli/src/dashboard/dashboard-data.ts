import * as fs from 'node:fs';
import type { Failure, Result } from '@engagement-db/canonical-model';
import {
  type Dashboard,
  DashboardQueryFailureKind,
  checkFilterSelection,
  filterOptionsQuery,
  visualQuery,
} from '@engagement-db/dashboards';
import {
  type QueryEngine,
  QueryFailureKind,
  type QueryLimits,
  type QueryParameter,
  openQueryEngine,
} from '@engagement-db/sql';
import type { LakeStatus, SheetRows, VisualRows } from './dashboard-api';
import { type LakeVersion, lakeVersionOf } from './lake-version';
import { sheetQuery } from './sheet-query';

/** Why the dashboard's data could not be given. */
export const DashboardDataFailureKind = {
  ...DashboardQueryFailureKind,
  ...QueryFailureKind,
  /** There is no lake folder at the path (yet): `demo`, `ingest` and `serve` make it. */
  noLake: 'no-lake',
  /** The lake cannot be read: the path is a file, or the query engine cannot open it. */
  brokenLake: 'broken-lake',
  /** Too many sheets are waiting for the engine; try again. */
  busy: 'busy',
} as const;
export type DashboardDataFailureKind =
  (typeof DashboardDataFailureKind)[keyof typeof DashboardDataFailureKind];
export type DashboardDataFailure = Failure<DashboardDataFailureKind>;
export type DashboardDataResult<T> = Result<T, DashboardDataFailure>;

/** Options of {@link DashboardData}. */
export interface DashboardDataOptions {
  /** The lake folder. */
  readonly lake: string;
  /** The dashboard whose queries are answered (its definition, never SQL from a request). */
  readonly dashboard: Dashboard;
  /** The engine's time and memory limits for each query. */
  readonly limits?: QueryLimits;
  /** Statements that may wait for the engine at once; beyond it a request is answered `busy`. @default 16 */
  readonly maxWaiting?: number;
  /** Sheets (under a filter selection) kept for the current lake version. @default 64 */
  readonly cacheEntries?: number;
}

// Reading the version is one directory listing; a page's burst of requests shares one.
const versionTtlMs = 250;
const countRowsSql =
  'SELECT (SELECT count(*) FROM "engagementdb-glue-db"."engagementdb-events-table") AS "events", ' +
  '(SELECT count(*) FROM "engagementdb-glue-db"."engagementdb-conversations-table") AS "conversations"';

/**
 * The dashboard's data over one lake. A sheet under a filter selection is one statement (`sheetQuery`: the
 * definition's query of each KPI, chart, table and filter's options, each view read once), run by one query
 * engine within its limits, one statement at a time. Results are kept per lake version, so a sheet shown again,
 * or in a second tab, costs nothing until new data lands, and requests for the same sheet share one run. The
 * engine is opened on first use, and again after it could not be (the lake may appear later).
 *
 * @example
 * const data = new DashboardData({ lake: './engagement-lake', dashboard: engagementDashboard });
 * const sheet = await data.sheet('email', { date: { from: '2025-03-01' } });
 * if (sheet.ok) console.log(sheet.value.visuals['delivery-rate'].rows[0]); // { 'delivery-rate': 0.952 }
 */
export class DashboardData {
  private engine: Promise<DashboardDataResult<QueryEngine>> | undefined;
  private readonly results = new Map<string, Promise<DashboardDataResult<unknown>>>();
  private cachedVersion: { readonly at: number; readonly value: LakeVersion } | undefined;
  private resultsVersion = '';
  private waiting = 0;
  private closed = false;

  constructor(private readonly options: DashboardDataOptions) {}

  /** The lake's version now (read at most four times a second). */
  version(): LakeVersion {
    const now = performance.now();
    if (this.cachedVersion === undefined || now - this.cachedVersion.at > versionTtlMs) {
      this.cachedVersion = { at: now, value: lakeVersionOf(this.options.lake) };
    }
    return this.cachedVersion.value;
  }

  /** What the lake holds: its version, whether it exists and has rows, or what is wrong with it. */
  async status(): Promise<LakeStatus> {
    const version = this.version();
    const base = { lake: this.options.lake, ...version };
    const counted = await this.cached(version.version, 'status', async () => {
      const result = await this.run(countRowsSql, []);
      if (!result.ok) return result;
      const row = result.value[0] ?? {};
      return {
        ok: true,
        value: { events: Number(row['events'] ?? 0), conversations: Number(row['conversations'] ?? 0) },
      };
    });
    if (!counted.ok) {
      const state = counted.error.kind === DashboardDataFailureKind.noLake ? 'missing' : 'broken';
      return { ...base, state, message: counted.error.message };
    }
    const rows = counted.value;
    return { ...base, state: rows.events + rows.conversations === 0 ? 'empty' : 'ready', rows };
  }

  /**
   * Everything a sheet shows, narrowed by the filter values chosen (untrusted: checked by
   * `checkFilterSelection`, bound as query parameters).
   */
  sheet(sheetId: string, selection: unknown): Promise<DashboardDataResult<SheetRows>> {
    const query = sheetQuery(this.options.dashboard, sheetId, selection);
    if (!query.ok) return Promise.resolve(query);
    // Checked, so the key holds only what the sheet's filters take, however large the request was.
    const sheet = this.options.dashboard.sheets.find((s) => s.id === sheetId);
    const checked = sheet ? checkFilterSelection(sheet, selection) : undefined;
    const key = `sheet\n${sheetId}\n${checked?.ok ? selectionKey(checked.value) : ''}`;
    const { version } = this.version();
    return this.cached(version, key, async () => {
      const started = { wall: performance.now(), cpu: process.cpuUsage() };
      const result = await this.run(query.value.sql, query.value.parameters);
      if (!result.ok) return result;
      // The process's CPU time: DuckDB's threads are in it (statements run one at a time).
      const cpu = process.cpuUsage(started.cpu);
      const timing = { wallMs: performance.now() - started.wall, cpuMs: (cpu.user + cpu.system) / 1000 };
      const row = result.value[0] ?? {};
      const visuals: Record<string, VisualRows> = {};
      const filters: Record<string, readonly Record<string, unknown>[]> = {};
      for (const part of query.value.parts) {
        const rows = (row[part.column] ?? []) as Record<string, unknown>[];
        if (part.kind === 'visual') visuals[part.id] = { rows, unappliedFilters: part.unappliedFilters };
        else filters[part.id] = rows;
      }
      return { ok: true, value: { version, visuals, filters, timing } };
    });
  }

  /** The rows of one KPI, chart or table of a sheet (computed with the rest of its sheet). */
  async visual(
    sheetId: string,
    visualId: string,
    selection: unknown,
  ): Promise<DashboardDataResult<VisualRows & { readonly version: string }>> {
    const checked = visualQuery(this.options.dashboard, sheetId, visualId, selection);
    if (!checked.ok) return checked;
    const sheet = await this.sheet(sheetId, selection);
    if (!sheet.ok) return sheet;
    return { ok: true, value: { version: sheet.value.version, ...sheet.value.visuals[visualId] } };
  }

  /** What a filter's control offers: the values found in the lake, or the first and last day with data. */
  async filterOptions(
    sheetId: string,
    filterId: string,
  ): Promise<DashboardDataResult<VisualRows & { readonly version: string }>> {
    const checked = filterOptionsQuery(this.options.dashboard, sheetId, filterId);
    if (!checked.ok) return checked;
    const sheet = await this.sheet(sheetId, {});
    if (!sheet.ok) return sheet;
    return {
      ok: true,
      value: { version: sheet.value.version, rows: sheet.value.filters[filterId], unappliedFilters: [] },
    };
  }

  /** Closes the engine; later calls answer `broken-lake`. */
  async close(): Promise<void> {
    this.closed = true;
    const engine = await this.engine;
    if (engine?.ok) engine.value.close();
  }

  private cached<T>(
    version: string,
    key: string,
    compute: () => Promise<DashboardDataResult<T>>,
  ): Promise<DashboardDataResult<T>> {
    if (version !== this.resultsVersion) {
      this.results.clear();
      this.resultsVersion = version;
    }
    const found = this.results.get(key) as Promise<DashboardDataResult<T>> | undefined;
    if (found) {
      // Most recently used last: the first entry is the one to drop.
      this.results.delete(key);
      this.results.set(key, found);
      return found;
    }
    const computed = compute();
    this.results.set(key, computed);
    // Failures are not kept: the next request tries again.
    void computed.then((result) => {
      if (!result.ok && this.results.get(key) === computed) this.results.delete(key);
    });
    const limit = this.options.cacheEntries ?? 64;
    while (this.results.size > limit) this.results.delete(this.results.keys().next().value as string);
    return computed;
  }

  private async run(
    sql: string,
    parameters: readonly QueryParameter[],
  ): Promise<DashboardDataResult<readonly Record<string, unknown>[]>> {
    if (this.waiting >= (this.options.maxWaiting ?? 16)) {
      return failure(
        DashboardDataFailureKind.busy,
        'too many sheets are waiting for the lake; try again shortly',
      );
    }
    this.waiting += 1;
    try {
      const engine = await this.openedEngine();
      if (!engine.ok) return engine;
      const result = await engine.value.query(sql, parameters);
      return result.ok ? { ok: true, value: result.value.rows } : result;
    } finally {
      this.waiting -= 1;
    }
  }

  private openedEngine(): Promise<DashboardDataResult<QueryEngine>> {
    if (this.closed)
      return Promise.resolve(failure(DashboardDataFailureKind.brokenLake, 'the dashboard is stopping'));
    if (this.engine) return this.engine;
    const { lake } = this.options;
    if (!fs.existsSync(lake)) {
      return Promise.resolve(
        failure(DashboardDataFailureKind.noLake, `no lake at ${lake} yet: demo, ingest or serve makes it`),
      );
    }
    const opening = openQueryEngine({ lake, limits: this.options.limits }).then(
      (engine): DashboardDataResult<QueryEngine> => ({ ok: true, value: engine }),
      (error: unknown) => {
        // Not kept: the lake may be mended while the dashboard runs.
        this.engine = undefined;
        return failure(
          DashboardDataFailureKind.brokenLake,
          error instanceof Error ? error.message : String(error),
        );
      },
    );
    this.engine = opening;
    return opening;
  }
}

function failure(
  kind: DashboardDataFailureKind,
  message: string,
): { ok: false; error: DashboardDataFailure } {
  return { ok: false, error: { kind, message } };
}

/** A selection's key: its filters in id order, each list of values sorted. */
function selectionKey(selection: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(selection)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, value]) => [id, Array.isArray(value) ? [...(value as string[])].sort() : value]);
  return JSON.stringify(entries);
}
