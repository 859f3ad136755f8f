import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { type Filter, FilterKind, type Sheet } from '@engagement-db/dashboards';
import { controlIdOf, filterGroupIdOf, parameterNameOf } from './quicksight-ids';

/** What a sheet's filters compile to: dashboard parameters, the sheet's controls, the filter groups. */
export interface CompiledFilters {
  readonly parameters: CfnDashboard.ParameterDeclarationProperty[];
  readonly controls: CfnDashboard.ParameterControlProperty[];
  readonly filterGroups: CfnDashboard.FilterGroupProperty[];
}

/**
 * The first day the date range offers: the library's earliest day, so that with the default range a
 * sheet covers all the data, as the local page does with no date chosen.
 */
export const earliestDay = '1970-01-01T00:00:00.000Z';
/** The last day by default: today (UTC), whole. */
export const todayExpression = "truncDate('DD', now())";

/**
 * The filters of a sheet as QuickSight expresses one filter over several datasets whose columns differ:
 * a parameter (a date range has two, from and to, by the day) set by a control on the sheet, and for
 * every dataset whose column is not `null` a filter group with one filter on that column reading the
 * parameter, scoped to the sheet's visuals of that dataset. A values filter keeps the rows whose
 * column is one of the chosen values (all rows when all are selected); its dropdown lists the values
 * of the first dataset the filter names.
 *
 * @example compileFilters(sheet, (datasetId) => ['sms-kpis-messages', ...]).filterGroups.length
 */
export function compileFilters(
  sheet: Sheet,
  visualIdsOf: (datasetId: string) => readonly string[],
): CompiledFilters {
  const compiled: CompiledFilters = { parameters: [], controls: [], filterGroups: [] };
  for (const filter of sheet.filters) {
    const applied = Object.entries(filter.columns).filter(
      (entry): entry is [string, string] => entry[1] !== null && visualIdsOf(entry[0]).length > 0,
    );
    if (filter.kind === FilterKind.dateRange) addDateRange(compiled, sheet, filter);
    else addValues(compiled, sheet, filter, applied[0]);
    for (const [datasetId, columnName] of applied) {
      const filterGroupId = filterGroupIdOf(sheet.id, filter.id, datasetId);
      const column = { dataSetIdentifier: datasetId, columnName };
      compiled.filterGroups.push({
        filterGroupId,
        crossDataset: 'SINGLE_DATASET',
        status: 'ENABLED',
        scopeConfiguration: {
          selectedSheets: {
            sheetVisualScopingConfigurations: [
              { sheetId: sheet.id, scope: 'SELECTED_VISUALS', visualIds: [...visualIdsOf(datasetId)] },
            ],
          },
        },
        filters: [filterOf(sheet, filter, `${filterGroupId}-filter`, column)],
      });
    }
  }
  return compiled;
}

function filterOf(
  sheet: Sheet,
  filter: Filter,
  filterId: string,
  column: CfnDashboard.ColumnIdentifierProperty,
): CfnDashboard.FilterProperty {
  if (filter.kind === FilterKind.dateRange) {
    return {
      timeRangeFilter: {
        filterId,
        column,
        includeMinimum: true,
        includeMaximum: true,
        nullOption: 'NON_NULLS_ONLY',
        timeGranularity: 'DAY',
        rangeMinimumValue: { parameter: parameterNameOf(sheet.id, filter.id, 'from') },
        rangeMaximumValue: { parameter: parameterNameOf(sheet.id, filter.id, 'to') },
      },
    };
  }
  return {
    categoryFilter: {
      filterId,
      column,
      configuration: {
        customFilterConfiguration: {
          matchOperator: 'EQUALS',
          parameterName: parameterNameOf(sheet.id, filter.id),
          nullOption: 'NON_NULLS_ONLY',
          selectAllOptions: 'FILTER_ALL_VALUES',
        },
      },
    },
  };
}

function addDateRange(compiled: CompiledFilters, sheet: Sheet, filter: Filter): void {
  for (const end of ['from', 'to'] as const) {
    const name = parameterNameOf(sheet.id, filter.id, end);
    compiled.parameters.push({
      dateTimeParameterDeclaration: {
        name,
        timeGranularity: 'DAY',
        defaultValues:
          end === 'from' ? { staticValues: [earliestDay] } : { rollingDate: { expression: todayExpression } },
      },
    });
    compiled.controls.push({
      dateTimePicker: {
        parameterControlId: controlIdOf(sheet.id, filter.id, end),
        sourceParameterName: name,
        title: `${filter.label} ${end}`,
        displayOptions: { dateTimeFormat: 'YYYY-MM-DD' },
      },
    });
  }
}

function addValues(
  compiled: CompiledFilters,
  sheet: Sheet,
  filter: Filter,
  optionsFrom: [string, string] | undefined,
): void {
  const name = parameterNameOf(sheet.id, filter.id);
  compiled.parameters.push({ stringParameterDeclaration: { name, parameterValueType: 'MULTI_VALUED' } });
  compiled.controls.push({
    dropdown: {
      parameterControlId: controlIdOf(sheet.id, filter.id),
      sourceParameterName: name,
      title: filter.label,
      type: 'MULTI_SELECT',
      ...(optionsFrom && {
        selectableValues: {
          linkToDataSetColumn: { dataSetIdentifier: optionsFrom[0], columnName: optionsFrom[1] },
        },
      }),
    },
  });
}
