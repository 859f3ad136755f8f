import { type Result, glueDatabaseName } from '@engagement-db/canonical-model';
import { datasetsOf } from './check-dashboard';
import {
  Aggregation,
  type Dashboard,
  DateGranularity,
  type DateRangeValue,
  type Dimension,
  type Filter,
  FilterKind,
  type FilterSelection,
  type Kpi,
  type Measure,
  MeasureKind,
  type RatioPart,
  type Sheet,
  SortDirection,
  type Visual,
  VisualKind,
} from './dashboard-definition';
import { DashboardDefinitionError } from './errors';
import {
  type DashboardQueryFailure,
  DashboardQueryFailureKind,
  checkFilterSelection,
} from './filter-selection';

/** The SQL that computes one visual (or a filter's options), ready to run with its parameters. */
export interface DashboardQuery {
  /**
   * Athena SQL over the visual's view in the Glue database (`"engagementdb-glue-db"."<view>"`), one
   * result column per dimension and measure, named by its id. Each filter value is a `?` placeholder.
   */
  readonly sql: string;
  /** The values of the `?` placeholders, in order: bind them, never paste them into the SQL. */
  readonly parameters: readonly string[];
  /**
   * The filters that were given a value but do not apply to the visual's dataset (their column is
   * `null` there), so the visual is not narrowed by them: a page may say so beside it.
   */
  readonly unappliedFilters: readonly string[];
}

export type DashboardQueryResult = Result<DashboardQuery, DashboardQueryFailure>;

/** The most options a values filter's control lists. */
export const filterOptionsLimit = 1000;

/**
 * The Athena SQL that computes one KPI, chart or table of a sheet, narrowed by the filter values chosen
 * (checked as `checkFilterSelection` does; untrusted input is fine). A KPI gives one row with one
 * column, the measure's id; a chart or table one row per group, a column per dimension then per
 * measure, in the visual's order (lines by category then series, ascending; bars and tables in their
 * sort order, ties broken by the dimensions, NULLs last; at most `limit` rows). A date range filters
 * the dataset's date column from the first day at 00:00 UTC to the day after the last; a values filter
 * keeps the rows whose column is one of the values. A ratio is NULL where its denominator is 0, a sum
 * NULL over no rows.
 *
 * @example
 * const query = visualQuery(engagementDashboard, 'sms', 'success-rate', { carrier: ["O'Neil Mobile"] });
 * if (query.ok) await engine.query(query.value.sql, query.value.parameters);
 * // SELECT CAST(sum("successful_messages") AS DOUBLE) / CAST(nullif(sum("total_messages"), 0) AS DOUBLE) AS "success-rate"
 * // FROM "engagementdb-glue-db"."sms_conversion_rates_view"   (unappliedFilters: ['carrier'])
 */
export function visualQuery(
  dashboard: Dashboard,
  sheetId: string,
  visualId: string,
  selection?: unknown,
): DashboardQueryResult {
  const sheet = findSheet(dashboard, sheetId);
  if (!sheet.ok) return sheet;
  const visual = [...sheet.value.kpis, ...sheet.value.visuals].find((v) => v.id === visualId);
  if (!visual) {
    return failure(
      DashboardQueryFailureKind.unknownVisual,
      `the ${sheet.value.id} sheet has no KPI, chart or table ${JSON.stringify(visualId)}`,
    );
  }
  const chosen = checkFilterSelection(sheet.value, selection);
  if (!chosen.ok) return chosen;
  const view = viewOf(dashboard, visual.dataset, `${sheet.value.id}.${visual.id}`);
  const where = filterConditions(sheet.value.filters, visual.dataset, chosen.value);
  return {
    ok: true,
    value: {
      sql: selectStatement(visual, view, where.conditions),
      parameters: where.parameters,
      unappliedFilters: where.unapplied,
    },
  };
}

/**
 * The Athena SQL that lists what a filter's control offers, over every dataset of the sheet the filter
 * applies to: for a values filter the different non-NULL values, one row each (`value`), sorted, at most
 * {@link filterOptionsLimit}; for a date range one row with the first and last day holding data (`from`,
 * `to`, dates; NULL when there is none).
 *
 * @example
 * const options = filterOptionsQuery(engagementDashboard, 'email', 'campaign');
 * // SELECT DISTINCT "value" FROM (SELECT "campaign" AS "value" FROM ...email_conversion_rates_view UNION ALL ...)
 */
export function filterOptionsQuery(
  dashboard: Dashboard,
  sheetId: string,
  filterId: string,
): DashboardQueryResult {
  const sheet = findSheet(dashboard, sheetId);
  if (!sheet.ok) return sheet;
  const filter = sheet.value.filters.find((f) => f.id === filterId);
  if (!filter) {
    return failure(
      DashboardQueryFailureKind.unknownFilter,
      `the ${sheet.value.id} sheet has no filter ${JSON.stringify(filterId)}`,
    );
  }
  const sources = datasetsOf(sheet.value).flatMap((datasetId) => {
    const column = filter.columns[datasetId];
    return column ? [{ column, view: viewOf(dashboard, datasetId, `${sheet.value.id}.${filter.id}`) }] : [];
  });
  const sql =
    filter.kind === FilterKind.dateRange
      ? [
          'SELECT min("first") AS "from", max("last") AS "to"',
          'FROM (',
          sources
            .map(
              ({ column, view }) =>
                `  SELECT CAST(min(${identifier(column)}) AS DATE) AS "first", CAST(max(${identifier(column)}) AS DATE) AS "last" FROM ${view}`,
            )
            .join('\n  UNION ALL\n'),
          ') AS "extents"',
        ].join('\n')
      : [
          'SELECT DISTINCT "value"',
          'FROM (',
          sources
            .map(({ column, view }) => `  SELECT ${identifier(column)} AS "value" FROM ${view}`)
            .join('\n  UNION ALL\n'),
          ') AS "options"',
          'WHERE "value" IS NOT NULL',
          'ORDER BY 1 ASC',
          `LIMIT ${filterOptionsLimit}`,
        ].join('\n');
  return { ok: true, value: { sql, parameters: [], unappliedFilters: [] } };
}

function findSheet(dashboard: Dashboard, sheetId: string): Result<Sheet, DashboardQueryFailure> {
  const sheet = dashboard.sheets.find((s) => s.id === sheetId);
  if (sheet) return { ok: true, value: sheet };
  return failure(
    DashboardQueryFailureKind.unknownSheet,
    `the dashboard has no sheet ${JSON.stringify(sheetId)}; its sheets are ${dashboard.sheets.map((s) => s.id).join(', ')}`,
  );
}

function failure(
  kind: DashboardQueryFailureKind,
  message: string,
): { ok: false; error: DashboardQueryFailure } {
  return { ok: false, error: { kind, message } };
}

/** The qualified, quoted name of a dataset's view. */
function viewOf(dashboard: Dashboard, datasetId: string, user: string): string {
  const dataset = dashboard.datasets.find((d) => d.id === datasetId);
  if (!dataset) {
    throw new DashboardDefinitionError(
      `${user} reads the dataset ${JSON.stringify(datasetId)}, which the dashboard ${dashboard.id} does not declare; ` +
        `add it to datasets or read one of ${dashboard.datasets.map((d) => d.id).join(', ')} (checkDashboard lists such problems).`,
    );
  }
  return `${identifier(glueDatabaseName)}.${identifier(dataset.view)}`;
}

function filterConditions(
  filters: readonly Filter[],
  datasetId: string,
  selection: FilterSelection,
): { conditions: string[]; parameters: string[]; unapplied: string[] } {
  const conditions: string[] = [];
  const parameters: string[] = [];
  const unapplied: string[] = [];
  for (const filter of filters) {
    const value = selection[filter.id];
    if (value === undefined) continue;
    const column = filter.columns[datasetId];
    if (filter.kind === FilterKind.dateRange) {
      const range = value as DateRangeValue;
      if (range.from === undefined && range.to === undefined) continue;
      if (!column) {
        unapplied.push(filter.id);
        continue;
      }
      // Half-open, so that a date and a timestamp column select the same messages.
      if (range.from !== undefined) {
        conditions.push(`${identifier(column)} >= CAST(? AS TIMESTAMP)`);
        parameters.push(`${range.from} 00:00:00.000`);
      }
      if (range.to !== undefined) {
        conditions.push(`${identifier(column)} < CAST(? AS TIMESTAMP)`);
        parameters.push(`${dayAfter(range.to)} 00:00:00.000`);
      }
    } else {
      const chosen = value as readonly string[];
      if (chosen.length === 0) continue;
      if (!column) {
        unapplied.push(filter.id);
        continue;
      }
      conditions.push(`${identifier(column)} IN (${chosen.map(() => '?').join(', ')})`);
      parameters.push(...chosen);
    }
  }
  return { conditions, parameters, unapplied };
}

function dayAfter(day: string): string {
  const next = new Date(`${day}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function selectStatement(visual: Kpi | Visual, view: string, conditions: readonly string[]): string {
  const dimensions = dimensionsOf(visual);
  const measures = visual.kind === VisualKind.kpi ? [visual.measure] : visual.measures;
  const lines = [
    'SELECT',
    [
      ...dimensions.map((d) => `  ${dimensionExpression(d)} AS ${identifier(d.id)}`),
      ...measures.map((m) => `  ${measureExpression(m)} AS ${identifier(m.id)}`),
    ].join(',\n'),
    `FROM ${view}`,
  ];
  if (conditions.length > 0) lines.push(`WHERE ${conditions.join('\n  AND ')}`);
  if (dimensions.length > 0) lines.push(`GROUP BY ${dimensions.map((_, index) => index + 1).join(', ')}`);
  if (visual.kind !== VisualKind.kpi) lines.push(`ORDER BY ${orderOf(visual, dimensions, measures)}`);
  if (visual.kind !== VisualKind.kpi && visual.kind !== VisualKind.line && visual.limit !== undefined)
    lines.push(`LIMIT ${visual.limit}`);
  return lines.join('\n');
}

function dimensionsOf(visual: Kpi | Visual): readonly Dimension[] {
  if (visual.kind === VisualKind.kpi) return [];
  if (visual.kind === VisualKind.table) return visual.dimensions;
  return visual.series ? [visual.category, visual.series] : [visual.category];
}

// ORDER BY positions: an alias may equal a view column's name.
function orderOf(visual: Visual, dimensions: readonly Dimension[], measures: readonly Measure[]): string {
  const ascending = dimensions.map((_, index) => `${index + 1} ASC NULLS LAST`);
  if (visual.kind === VisualKind.line) return ascending.join(', ');
  const ids = [...dimensions.map((d) => d.id), ...measures.map((m) => m.id)];
  const sorted = ids.indexOf(visual.sort.by) + 1;
  if (sorted === 0) {
    throw new DashboardDefinitionError(
      `the visual ${visual.id} sorts by ${JSON.stringify(visual.sort.by)}, none of its dimensions or measures (${ids.join(', ')}); ` +
        'sort by one of them (checkDashboard lists such problems).',
    );
  }
  const direction = visual.sort.direction === SortDirection.descending ? 'DESC' : 'ASC';
  return [`${sorted} ${direction} NULLS LAST`, ...ascending.filter((_, index) => index + 1 !== sorted)].join(
    ', ',
  );
}

function dimensionExpression(dimension: Dimension): string {
  const column = identifier(dimension.field);
  if (dimension.granularity === undefined) return column;
  const truncated = `date_trunc('${dimension.granularity}', ${column})`;
  return dimension.granularity === DateGranularity.hour ? truncated : `CAST(${truncated} AS DATE)`;
}

function measureExpression(measure: Measure): string {
  if (measure.kind === MeasureKind.ratio) {
    return `CAST(${aggregateExpression(measure.numerator)} AS DOUBLE) / CAST(nullif(${aggregateExpression(measure.denominator)}, 0) AS DOUBLE)`;
  }
  return aggregateExpression(measure);
}

function aggregateExpression(part: RatioPart | { field: string; aggregation: Aggregation }): string {
  const column = identifier(part.field);
  switch (part.aggregation) {
    case Aggregation.sum:
      return `sum(${column})`;
    case Aggregation.count:
      return `count(${column})`;
    case Aggregation.countDistinct:
      return `count(DISTINCT ${column})`;
    case Aggregation.average:
      return `avg(${column})`;
  }
}

/** A quoted identifier: the name between double quotes, a double quote in it doubled. */
function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
