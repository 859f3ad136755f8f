import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { type Dashboard, type ViewColumns, VisualKind, checkDashboard } from '@engagement-db/dashboards';
import { DashboardCompilationError } from '../errors';
import { compileFilters } from './filters';
import { compileVisual } from './visuals';
import { type LayoutItem, gridLayoutOf } from './layout';
import { visualIdOf } from './quicksight-ids';
import { CalculatedFields, DatasetFields } from './visual-fields';
import { datasetColumnsOf } from './view-columns';

/** What the compilation needs besides the definition. */
export interface CompileDashboardOptions {
  /** The views' columns and Athena types (`analyticsViews` of `@engagement-db/sql`). */
  readonly views: readonly ViewColumns[];
  /** The ARN of the QuickSight dataset of each dataset id of the definition (a token at synth). */
  readonly dataSetArns: Readonly<Record<string, string>>;
}

/**
 * The QuickSight definition of a dashboard, for `AWS::QuickSight::Dashboard` and
 * `AWS::QuickSight::Analysis` alike, written with aws-cdk-lib's typed property types so that a
 * misspelt key does not compile. Each dataset is declared by its id; each sheet keeps its id and
 * title, its KPIs then its charts and tables laid out in order on a grid, and its filters as
 * parameters, controls and filter groups (see `compileFilters`). Ratios are calculated fields that
 * divide summed (or counted) values; every measure carries its number format. The timezone is UTC and
 * weeks start on Monday, as in the library's SQL.
 *
 * @throws DashboardCompilationError listing every problem `checkDashboard` finds against the views.
 * @example compileDashboard(engagementDashboard, { views: analyticsViews, dataSetArns }).sheets
 */
export function compileDashboard(
  dashboard: Dashboard,
  options: CompileDashboardOptions,
): CfnDashboard.DashboardVersionDefinitionProperty {
  const problems = checkDashboard(dashboard, options.views);
  const undeclared = dashboard.datasets.filter((dataset) => options.dataSetArns[dataset.id] === undefined);
  const all = [
    ...problems.map((problem) => `${problem.path}: ${problem.message}`),
    ...undeclared.map((dataset) => `datasets[${dataset.id}]: no QuickSight dataset ARN was given for it`),
  ];
  if (all.length > 0) throw new DashboardCompilationError(dashboard.id, all);

  const columns = datasetColumnsOf(dashboard, options.views);
  const calculatedFields = new CalculatedFields();
  const fieldsOf = new Map(
    dashboard.datasets.map((dataset) => [
      dataset.id,
      new DatasetFields(dataset.id, columns.get(dataset.id) ?? [], calculatedFields),
    ]),
  );
  const parameterDeclarations: CfnDashboard.ParameterDeclarationProperty[] = [];
  const filterGroups: CfnDashboard.FilterGroupProperty[] = [];

  const sheets = dashboard.sheets.map((sheet): CfnDashboard.SheetDefinitionProperty => {
    const visuals: CfnDashboard.VisualProperty[] = [];
    const layout: LayoutItem[] = [];
    const visualIdsByDataset = new Map<string, string[]>();
    for (const item of [...sheet.kpis, ...sheet.visuals]) {
      const visualId = visualIdOf(sheet.id, item.id);
      const compiled = compileVisual(item, visualId, fieldsOf.get(item.dataset) as DatasetFields);
      visuals.push(compiled.visual);
      layout.push({ visualId, width: item.kind === VisualKind.kpi ? 'kpi' : item.width });
      visualIdsByDataset.set(item.dataset, [...(visualIdsByDataset.get(item.dataset) ?? []), visualId]);
      if (compiled.topFilter) {
        filterGroups.push({
          filterGroupId: `${visualId}-top`,
          crossDataset: 'SINGLE_DATASET',
          status: 'ENABLED',
          scopeConfiguration: {
            selectedSheets: {
              sheetVisualScopingConfigurations: [
                { sheetId: sheet.id, scope: 'SELECTED_VISUALS', visualIds: [visualId] },
              ],
            },
          },
          filters: [{ topBottomFilter: compiled.topFilter }],
        });
      }
    }
    const filters = compileFilters(sheet, (datasetId) => visualIdsByDataset.get(datasetId) ?? []);
    parameterDeclarations.push(...filters.parameters);
    filterGroups.push(...filters.filterGroups);
    return {
      sheetId: sheet.id,
      name: sheet.title,
      title: sheet.title,
      description: sheet.description,
      contentType: 'INTERACTIVE',
      visuals,
      parameterControls: filters.controls,
      layouts: [{ configuration: { gridLayout: gridLayoutOf(layout) } }],
    };
  });

  return {
    dataSetIdentifierDeclarations: dashboard.datasets.map((dataset) => ({
      identifier: dataset.id,
      dataSetArn: options.dataSetArns[dataset.id],
    })),
    sheets,
    calculatedFields: calculatedFields.all(),
    parameterDeclarations,
    filterGroups,
    options: { timezone: 'UTC', weekStart: 'MONDAY' },
  };
}
