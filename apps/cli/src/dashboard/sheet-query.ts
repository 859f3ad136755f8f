import { type Result, glueDatabaseName } from '@engagement-db/canonical-model';
import {
  type Dashboard,
  type DashboardQueryFailure,
  DashboardQueryFailureKind,
  type Dimension,
  type Kpi,
  type Measure,
  MeasureKind,
  type Sheet,
  type Visual,
  VisualKind,
  datasetsOf,
  filterOptionsQuery,
  visualQuery,
} from '@engagement-db/dashboards';
import { analyticsViews } from '@engagement-db/sql';
import { DashboardServerError } from './errors';

/** One part of a sheet's statement: a KPI, chart or table, or the options of a filter. */
export interface SheetQueryPart {
  readonly kind: 'visual' | 'filter';
  /** The KPI, visual or filter id. */
  readonly id: string;
  /** The result column holding the part's rows, as a list of rows. */
  readonly column: string;
  /** Filters chosen that do not apply to the visual's dataset. */
  readonly unappliedFilters: readonly string[];
}

/** One statement computing everything a sheet shows. */
export interface SheetQuery {
  readonly sql: string;
  /** The filter values, bound to the `?` placeholders in order. */
  readonly parameters: readonly string[];
  readonly parts: readonly SheetQueryPart[];
}

/**
 * One statement that computes every KPI, chart and table of a sheet under a filter selection, and every filter's
 * options, from the definition's own queries (`visualQuery`, `filterOptionsQuery`). Each dataset's view is read
 * once, into a materialized common table expression holding only the columns the sheet uses; each visual's query
 * then reads that instead of the view. A view that reads another view of the sheet (a rates view reads its
 * message status view) is computed from that one's table. Over a large lake this is what makes a sheet fast: a
 * view computed once, not once per KPI (an email sheet asks 21 questions of two views), and the events grouped
 * into messages once per sheet, not once per view. Each part's rows come back as a list, in the
 * order its query gives them. The selection is untrusted: it is checked, and its values are only ever bound.
 *
 * @example
 * const query = sheetQuery(engagementDashboard, 'sms', { country: ['US'] });
 * if (query.ok) await engine.query(query.value.sql, query.value.parameters); // one row: a list per part
 */
export function sheetQuery(
  dashboard: Dashboard,
  sheetId: string,
  selection: unknown,
): Result<SheetQuery, DashboardQueryFailure> {
  const sheet = dashboard.sheets.find((s) => s.id === sheetId);
  if (!sheet) {
    return {
      ok: false,
      error: {
        kind: DashboardQueryFailureKind.unknownSheet,
        message: `the dashboard has no sheet ${JSON.stringify(sheetId)}; its sheets are ${dashboard.sheets.map((s) => s.id).join(', ')}`,
      },
    };
  }
  const sources = sourcesOf(dashboard, sheet);
  const readingTables = (sql: string, user: string): string => {
    let rewritten = sql;
    for (const source of sources) rewritten = rewritten.split(source.view).join(source.table);
    if (rewritten === sql || sources.some((source) => rewritten.includes(source.view))) {
      throw new DashboardServerError(
        `the query of ${sheet.id}.${user} does not read its views as "database"."view" once each; ` +
          "sheetQuery cannot point it at the sheet's tables (has visualQuery changed how it names views?)",
      );
    }
    return rewritten;
  };

  const parts: SheetQueryPart[] = [];
  const selects: string[] = [];
  const parameters: string[] = [];
  const add = (
    kind: SheetQueryPart['kind'],
    id: string,
    sql: string,
    unappliedFilters: readonly string[],
  ): void => {
    const column = `part_${parts.length}`;
    parts.push({ kind, id, column, unappliedFilters });
    // row_number() OVER () keeps the order the query's ORDER BY gave, and list() is told to keep it.
    selects.push(
      `  (SELECT list("row" ORDER BY "position") FROM (SELECT row_number() OVER () AS "position", "result" AS "row" ` +
        `FROM (\n${readingTables(sql, id)}\n) AS "result")) AS ${quoted(column)}`,
    );
  };
  for (const visual of [...sheet.kpis, ...sheet.visuals]) {
    const query = visualQuery(dashboard, sheet.id, visual.id, selection);
    if (!query.ok) return query;
    add('visual', visual.id, query.value.sql, query.value.unappliedFilters);
    parameters.push(...query.value.parameters);
  }
  for (const filter of sheet.filters) {
    const query = filterOptionsQuery(dashboard, sheet.id, filter.id);
    if (!query.ok) return query;
    add('filter', filter.id, query.value.sql, []);
  }
  const tables = sources.map(
    (source) =>
      `${source.table} AS MATERIALIZED (SELECT ${source.columns.map(quoted).join(', ')} FROM ${source.from})`,
  );
  return {
    ok: true,
    value: { sql: `WITH\n${tables.join(',\n')}\nSELECT\n${selects.join(',\n')}`, parameters, parts },
  };
}

/** A view the sheet reads, materialized once as `table`. */
interface SheetSource {
  /** The view as the definition's queries name it: `"database"."view"`. */
  readonly view: string;
  readonly table: string;
  /** The columns the sheet's table holds: every column, when another of the sheet's views reads it. */
  readonly columns: readonly string[];
  /** What the table is computed from: the view, or its SQL over the tables of the views it reads. */
  readonly from: string;
}

/**
 * The views a sheet reads, each materialized once. A view that reads another of the sheet's views (a rates view
 * reads its message status view) is computed from its own SQL with that view's table in its place, so the work
 * they share (grouping the events into messages) is done once; the view it reads comes first, with every column.
 */
function sourcesOf(dashboard: Dashboard, sheet: Sheet): SheetSource[] {
  const used = datasetsOf(sheet).map((datasetId) => {
    const dataset = dashboard.datasets.find((d) => d.id === datasetId);
    if (!dataset) {
      throw new DashboardServerError(
        `sheet ${sheet.id} reads the dataset ${datasetId}, which the dashboard lacks`,
      );
    }
    const definition = analyticsViews.find((view) => view.name === dataset.view);
    return { name: dataset.view, definition, columns: columnsOf(sheet, datasetId) };
  });
  const viewOf = (name: string): string => `${quoted(glueDatabaseName)}.${quoted(name)}`;
  const basesOf = (name: string): string[] =>
    (analyticsViews.find((view) => view.name === name)?.dependsOn ?? []).filter((base) =>
      used.some((u) => u.name === base),
    );
  const ordered = [...used].sort((a, b) => basesOf(a.name).length - basesOf(b.name).length);
  const sources: SheetSource[] = [];
  for (const [index, { name, definition, columns }] of ordered.entries()) {
    const readByOthers = used.some((other) => basesOf(other.name).includes(name));
    let from = viewOf(name);
    const bases = basesOf(name);
    if (definition && bases.length > 0) {
      let sql = definition.sql.replace(/^(\s*--.*\n)*/, '');
      for (const source of sources) sql = sql.split(source.view).join(source.table);
      // Any base not replaced (not before it, or named otherwise): the view is read as it is.
      if (!bases.some((base) => sql.includes(base))) from = `(\n${sql}\n) AS ${quoted(name)}`;
    }
    sources.push({
      view: viewOf(name),
      table: quoted(`sheet_dataset_${index}`),
      columns: readByOthers && definition ? definition.columns.map((c) => c.name) : [...columns],
      from,
    });
  }
  return sources;
}

/** Every view column the sheet's visuals and filters read from one dataset. */
function columnsOf(sheet: Sheet, datasetId: string): Set<string> {
  const columns = new Set<string>();
  const measure = (m: Measure): void => {
    if (m.kind === MeasureKind.ratio) {
      columns.add(m.numerator.field);
      columns.add(m.denominator.field);
    } else columns.add(m.field);
  };
  const dimension = (d: Dimension | undefined): void => void (d && columns.add(d.field));
  for (const visual of [...sheet.kpis, ...sheet.visuals] as (Kpi | Visual)[]) {
    if (visual.dataset !== datasetId) continue;
    if (visual.kind === VisualKind.kpi) {
      measure(visual.measure);
      continue;
    }
    visual.measures.forEach(measure);
    if (visual.kind === VisualKind.table) visual.dimensions.forEach(dimension);
    else {
      dimension(visual.category);
      dimension(visual.series);
    }
  }
  for (const filter of sheet.filters) {
    const column = filter.columns[datasetId];
    if (column) columns.add(column);
  }
  return columns;
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
