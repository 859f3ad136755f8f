import {
  Aggregation,
  type Dashboard,
  type Dataset,
  DatasetGrain,
  DateGranularity,
  type Dimension,
  FilterKind,
  type Kpi,
  type Measure,
  MeasureKind,
  NumberFormatKind,
  type Sheet,
  type Visual,
  VisualKind,
} from './dashboard-definition';

/** A view as the check reads it: its name and its columns with their Athena types (`analyticsViews` fits). */
export interface ViewColumns {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** Something wrong in a dashboard definition: where (`sheets[sms].kpis[carriers].measure`) and what. */
export interface DashboardProblem {
  readonly path: string;
  readonly message: string;
}

const kebabCase = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const numericTypes = new Set(['bigint', 'integer', 'smallint', 'tinyint', 'double', 'real']);
const dateTypes = new Set(['date', 'timestamp']);
// Columns that hold a rate or an average of their group: combining groups must divide sums instead.
const perGroupRatio = /(_rate|_rate_percentage)$|^avg_/;

/**
 * Every problem of a dashboard definition against the views it reads; none for a sound one. Checked:
 * kebab-case ids, unique among their kind (datasets, sheets; on a sheet its KPIs, visuals and filters
 * together; in a visual its dimensions and measures); every dataset's view exists and every dataset is
 * read; every field exists in its dataset's view with a type that fits its use (sums and averages of
 * numbers, time buckets of dates and timestamps, an hour of timestamps only, values filters on text);
 * no measure reads a per-group rate or average column, no `group` dataset is averaged or counted by
 * rows, and every percentage is a ratio measure; a chart's measures share one number format; a line's
 * category is a time bucket; a series goes with one measure and no limit; a sort names a dimension or
 * measure of its visual; every sheet has one date range filter, and every filter names, for each dataset
 * its sheet reads, a column or `null`.
 *
 * @example
 * import { analyticsViews } from '@engagement-db/sql';
 * const problems = checkDashboard(engagementDashboard, analyticsViews); // []
 */
export function checkDashboard(dashboard: Dashboard, views: readonly ViewColumns[]): DashboardProblem[] {
  const problems: DashboardProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const datasets = new Map(dashboard.datasets.map((dataset) => [dataset.id, dataset]));
  const viewsByName = new Map(views.map((view) => [view.name, view]));

  checkId(report, 'id', dashboard.id);
  checkUnique(report, 'datasets', 'dataset', dashboard.datasets);
  checkUnique(report, 'sheets', 'sheet', dashboard.sheets);
  for (const dataset of dashboard.datasets) {
    const path = `datasets[${dataset.id}]`;
    checkId(report, path, dataset.id);
    if (!viewsByName.has(dataset.view)) report(`${path}.view`, `no analytics view is named ${dataset.view}`);
    if (!dashboard.sheets.some((sheet) => datasetsOf(sheet).includes(dataset.id)))
      report(path, 'no visual reads this dataset; remove it or read it');
  }

  for (const sheet of dashboard.sheets) {
    const path = `sheets[${sheet.id}]`;
    checkId(report, path, sheet.id);
    checkUnique(report, path, 'KPI, visual or filter', [...sheet.kpis, ...sheet.visuals, ...sheet.filters]);
    const columnsOf = (datasetId: string) => {
      const dataset = datasets.get(datasetId);
      return dataset && viewsByName.get(dataset.view);
    };
    for (const visual of [...sheet.kpis, ...sheet.visuals]) {
      const visualPath = `${path}.${visual.kind === VisualKind.kpi ? 'kpis' : 'visuals'}[${visual.id}]`;
      checkId(report, visualPath, visual.id);
      const dataset = datasets.get(visual.dataset);
      if (!dataset) {
        report(`${visualPath}.dataset`, `no dataset has the id ${visual.dataset}`);
        continue;
      }
      const view = viewsByName.get(dataset.view);
      if (view) checkVisual(report, visualPath, visual, dataset, view);
    }
    checkFilters(report, path, sheet, datasets, columnsOf);
  }
  return problems;
}

type Report = (path: string, message: string) => void;

function checkId(report: Report, path: string, id: string): void {
  if (!kebabCase.test(id))
    report(path, `the id ${JSON.stringify(id)} is not kebab-case (such as delivery-rate)`);
}

function checkUnique(report: Report, path: string, what: string, items: readonly { id: string }[]): void {
  const seen = new Set<string>();
  for (const { id } of items) {
    if (seen.has(id)) report(path, `two of its ${what} ids are ${id}; ids must be unique`);
    seen.add(id);
  }
}

/** The ids of the datasets a sheet's KPIs and visuals read, each once, in order. */
export function datasetsOf(sheet: Sheet): string[] {
  return [...new Set([...sheet.kpis, ...sheet.visuals].map((visual) => visual.dataset))];
}

function checkVisual(
  report: Report,
  path: string,
  visual: Kpi | Visual,
  dataset: Dataset,
  view: ViewColumns,
): void {
  const typeOf = (field: string) => view.columns.find((column) => column.name === field)?.type;
  const fieldProblem = (field: string, fits: (type: string) => boolean, expected: string) => {
    const type = typeOf(field);
    if (type === undefined) return `${view.name} has no column ${field}`;
    return fits(type) ? undefined : `${view.name}.${field} is ${type}, expected ${expected}`;
  };
  const checkMeasure = (measurePath: string, measure: Measure) => {
    checkId(report, measurePath, measure.id);
    const parts =
      measure.kind === MeasureKind.aggregate
        ? [{ path: measurePath, ...measure }]
        : [
            { path: `${measurePath}.numerator`, ...measure.numerator },
            { path: `${measurePath}.denominator`, ...measure.denominator },
          ];
    for (const part of parts) {
      const numeric = part.aggregation === Aggregation.sum || part.aggregation === Aggregation.average;
      const problem = numeric
        ? fieldProblem(part.field, (type) => numericTypes.has(type), 'a number to add up or average')
        : fieldProblem(part.field, (type) => !type.startsWith('map'), 'a column whose values can be counted');
      if (problem) report(part.path, problem);
      if (perGroupRatio.test(part.field)) {
        report(
          part.path,
          `${part.field} is a rate or average of its group; combine groups as a ratio of summed counts`,
        );
      }
      if (
        dataset.grain === DatasetGrain.group &&
        (part.aggregation === Aggregation.average || part.aggregation === Aggregation.count)
      ) {
        report(
          part.path,
          `${dataset.view} has a row per group of messages: ${part.aggregation} over its rows weighs every group alike; sum its counts`,
        );
      }
    }
    if (measure.format.kind === NumberFormatKind.percent && measure.kind !== MeasureKind.ratio)
      report(measurePath, 'a percentage must be a ratio measure (a sum divided by a sum)');
  };
  const checkDimension = (dimensionPath: string, dimension: Dimension) => {
    checkId(report, dimensionPath, dimension.id);
    const problem =
      dimension.granularity === undefined
        ? fieldProblem(
            dimension.field,
            (type) => ['varchar', 'bigint', 'integer', 'date'].includes(type),
            'text, a whole number or a date (a timestamp needs a granularity)',
          )
        : dimension.granularity === DateGranularity.hour
          ? fieldProblem(dimension.field, (type) => type === 'timestamp', 'a timestamp (for hours)')
          : fieldProblem(dimension.field, (type) => dateTypes.has(type), 'a date or a timestamp');
    if (problem) report(dimensionPath, problem);
  };

  if (visual.kind === VisualKind.kpi) {
    checkMeasure(`${path}.measure`, visual.measure);
    return;
  }
  const dimensions =
    visual.kind === VisualKind.table
      ? visual.dimensions.map((dimension) => ({ path: `${path}.dimensions[${dimension.id}]`, dimension }))
      : [
          { path: `${path}.category`, dimension: visual.category },
          ...(visual.series ? [{ path: `${path}.series`, dimension: visual.series }] : []),
        ];
  for (const { path: dimensionPath, dimension } of dimensions) checkDimension(dimensionPath, dimension);
  visual.measures.forEach((measure) => checkMeasure(`${path}.measures[${measure.id}]`, measure));
  checkUnique(report, path, 'dimension or measure', [
    ...dimensions.map((d) => d.dimension),
    ...visual.measures,
  ]);
  if (visual.measures.length === 0) report(`${path}.measures`, 'a visual shows at least one measure');

  if (visual.kind !== VisualKind.table && new Set(visual.measures.map((m) => m.format.kind)).size > 1)
    report(`${path}.measures`, 'the measures of a chart share one value axis: give them one number format');
  if (visual.kind === VisualKind.line && visual.category.granularity === undefined)
    report(`${path}.category`, 'a line chart runs over time: its category needs a date granularity');
  if (visual.kind !== VisualKind.table && visual.series) {
    if (visual.measures.length !== 1)
      report(`${path}.series`, `a series splits one measure, got ${visual.measures.length}`);
    if (visual.kind === VisualKind.bar && visual.limit !== undefined)
      report(`${path}.limit`, 'a limit keeps the first categories; it cannot be combined with a series');
  }
  if (visual.kind !== VisualKind.line) {
    const ids = [...dimensions.map((d) => d.dimension.id), ...visual.measures.map((m) => m.id)];
    if (!ids.includes(visual.sort.by))
      report(`${path}.sort`, `sorts by ${visual.sort.by}, which is none of its dimensions or measures`);
    if (visual.limit !== undefined && !(Number.isInteger(visual.limit) && visual.limit > 0))
      report(`${path}.limit`, `the limit must be a whole number above 0, got ${visual.limit}`);
  }
}

function checkFilters(
  report: Report,
  path: string,
  sheet: Sheet,
  datasets: ReadonlyMap<string, Dataset>,
  columnsOf: (datasetId: string) => ViewColumns | undefined,
): void {
  // An undeclared dataset is reported where it is read.
  const read = datasetsOf(sheet).filter((id) => datasets.has(id));
  const dateRanges = sheet.filters.filter((filter) => filter.kind === FilterKind.dateRange);
  if (dateRanges.length !== 1)
    report(`${path}.filters`, `a sheet has one date range filter, got ${dateRanges.length}`);
  for (const filter of sheet.filters) {
    const filterPath = `${path}.filters[${filter.id}]`;
    checkId(report, filterPath, filter.id);
    const named = Object.keys(filter.columns);
    for (const datasetId of read.filter((id) => !named.includes(id)))
      report(
        `${filterPath}.columns`,
        `says nothing of ${datasetId}: name its column, or null where it does not apply`,
      );
    for (const datasetId of named.filter((id) => !read.includes(id)))
      report(`${filterPath}.columns`, `names ${datasetId}, which no visual of the sheet reads`);
    if (Object.values(filter.columns).every((column) => column === null))
      report(`${filterPath}.columns`, 'applies to no dataset');
    for (const [datasetId, column] of Object.entries(filter.columns)) {
      const view = columnsOf(datasetId);
      if (column === null) {
        if (filter.kind === FilterKind.dateRange)
          report(
            `${filterPath}.columns.${datasetId}`,
            'the date range applies to every dataset of its sheet',
          );
        continue;
      }
      if (!view) continue;
      const type = view.columns.find((c) => c.name === column)?.type;
      const fits =
        filter.kind === FilterKind.dateRange ? type !== undefined && dateTypes.has(type) : type === 'varchar';
      if (type === undefined)
        report(`${filterPath}.columns.${datasetId}`, `${view.name} has no column ${column}`);
      else if (!fits)
        report(
          `${filterPath}.columns.${datasetId}`,
          `${view.name}.${column} is ${type}, expected ${filter.kind === FilterKind.dateRange ? 'a date or a timestamp' : 'varchar'}`,
        );
    }
  }
}
