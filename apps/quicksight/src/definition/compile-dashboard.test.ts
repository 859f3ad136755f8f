import { Template } from 'aws-cdk-lib/assertions';
import { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import {
  Aggregation,
  type Dashboard,
  type Measure,
  MeasureKind,
  type RatioPart,
  engagementDashboard,
} from '@engagement-db/dashboards';
import { analyticsViews } from '@engagement-db/sql';
import { definitionOf, emptyStack, removeTestOutdirs, testStack, thrownBy } from '../../test/test-stack';
import { DashboardCompilationError } from '../errors';
import { compileDashboard } from './compile-dashboard';
import { type ApiDefinition, definitionProblems } from './definition-problems';
import { datasetColumnsOf } from './view-columns';

type Json = Record<string, unknown>;
type Field = { kind: string; body: Json };

let template: Template;
let definition: ApiDefinition & Json;

beforeAll(() => {
  template = Template.fromStack(testStack());
  definition = definitionOf(template);
});

afterAll(() => {
  removeTestOutdirs();
});

const sheetOf = (id: string) =>
  (definition.Sheets as unknown as { SheetId: string; Visuals: Json[] }[]).find(
    (sheet) => sheet.SheetId === id,
  )!;
const visualOf = (sheetId: string, visualId: string): [string, Json] =>
  Object.entries(
    sheetOf(sheetId).Visuals.find(
      (visual) => (Object.values(visual)[0] as Json).VisualId === `${sheetId}-${visualId}`,
    )!,
  )[0] as [string, Json];

/** Every object with a FieldId under a visual, with the key that holds it (NumericalMeasureField, ...). */
function fieldsOf(value: unknown, found = new Map<string, Field>()): Map<string, Field> {
  if (Array.isArray(value)) value.forEach((item) => fieldsOf(item, found));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const body = child as Json;
      if (key.endsWith('Field') && typeof body?.FieldId === 'string')
        found.set(body.FieldId, { kind: key, body });
      fieldsOf(child, found);
    }
  }
  return found;
}

const viewColumnType = (datasetId: string, column: string) => {
  const view = engagementDashboard.datasets.find((dataset) => dataset.id === datasetId)!.view;
  return analyticsViews.find((candidate) => candidate.name === view)!.columns.find((c) => c.name === column)
    ?.type;
};

describe('compileDashboard', () => {
  it('declares each dataset of the definition once, and every sheet with its KPIs, charts and tables in order', () => {
    // Act
    const sheets = (
      definition.Sheets as unknown as { SheetId: string; Title: string; Visuals: Json[] }[]
    ).map((sheet) => ({
      id: sheet.SheetId,
      title: sheet.Title,
      visuals: sheet.Visuals.map((visual) => {
        const [kind, body] = Object.entries(visual)[0] as [string, Json];
        return [
          kind,
          body.VisualId,
          (body.Title as { FormatText: { PlainText: string } }).FormatText.PlainText,
        ];
      }),
    }));

    // Assert
    const kinds = { kpi: 'KPIVisual', line: 'LineChartVisual', bar: 'BarChartVisual', table: 'TableVisual' };
    expect(definition.DataSetIdentifierDeclarations?.map((d) => d.Identifier)).toEqual(
      engagementDashboard.datasets.map((dataset) => dataset.id),
    );
    expect(sheets).toEqual(
      engagementDashboard.sheets.map((sheet) => ({
        id: sheet.id,
        title: sheet.title,
        visuals: [...sheet.kpis, ...sheet.visuals].map((v) => [
          kinds[v.kind],
          `${sheet.id}-${v.id}`,
          v.title,
        ]),
      })),
    );
    expect(sheets.map((sheet) => sheet.id)).toEqual(['email', 'sms', 'mms', 'voice', 'whatsapp']);
  });

  it('breaks none of QuickSight’s rules, and the analysis has the dashboard’s definition', () => {
    // Act
    const problems = definitionProblems(definition, datasetColumnsOf(engagementDashboard, analyticsViews));

    // Assert
    expect(problems).toEqual([]);
    expect(definitionOf(template, 'AWS::QuickSight::Analysis')).toEqual(definition);
  });

  it('reads every measure’s and dimension’s column from its view, aggregated as the definition says', () => {
    // Prepare
    const calculated = definition.CalculatedFields ?? [];
    const part = ({ field, aggregation }: RatioPart) =>
      `${aggregation === Aggregation.sum ? 'sum' : 'count'}({${field}})`;
    const measureKinds = {
      number: 'NumericalMeasureField',
      varchar: 'CategoricalMeasureField',
      time: 'DateMeasureField',
    };
    const aggregations = {
      sum: 'SUM',
      count: 'COUNT',
      'count-distinct': 'DISTINCT_COUNT',
      average: 'AVERAGE',
    };
    let checked = 0;

    for (const sheet of engagementDashboard.sheets) {
      for (const visual of [...sheet.kpis, ...sheet.visuals]) {
        // Act
        const fields = fieldsOf(visualOf(sheet.id, visual.id)[1]);
        const measures: Measure[] = visual.kind === 'kpi' ? [visual.measure] : [...visual.measures];
        const dimensions =
          visual.kind === 'kpi'
            ? []
            : visual.kind === 'table'
              ? visual.dimensions
              : [visual.category, ...(visual.series ? [visual.series] : [])];

        // Assert
        for (const measure of measures) {
          const field = fields.get(`${sheet.id}-${visual.id}.${measure.id}`)!;
          const column = field.body.Column as { DataSetIdentifier: string; ColumnName: string };
          expect(column.DataSetIdentifier).toBe(visual.dataset);
          if (measure.kind === MeasureKind.ratio) {
            expect(field.kind).toBe('NumericalMeasureField');
            expect(field.body.AggregationFunction).toBeUndefined();
            expect(calculated).toContainEqual({
              DataSetIdentifier: visual.dataset,
              Name: column.ColumnName,
              Expression: `${part(measure.numerator)} / nullIf(${part(measure.denominator)}, 0)`,
            });
          } else {
            const type = viewColumnType(visual.dataset, measure.field)!;
            const typeKind = ['varchar'].includes(type)
              ? 'varchar'
              : ['date', 'timestamp'].includes(type)
                ? 'time'
                : 'number';
            expect([column.ColumnName, field.kind]).toEqual([measure.field, measureKinds[typeKind]]);
            expect(field.body.AggregationFunction).toEqual(
              typeKind === 'number'
                ? { SimpleNumericalAggregation: aggregations[measure.aggregation] }
                : aggregations[measure.aggregation],
            );
          }
          checked++;
        }
        for (const dimension of dimensions) {
          const field = fields.get(`${sheet.id}-${visual.id}.${dimension.id}`)!;
          const type = viewColumnType(visual.dataset, dimension.field)!;
          expect((field.body.Column as Json).ColumnName).toBe(dimension.field);
          if (dimension.granularity) {
            expect(['date', 'timestamp']).toContain(type);
            expect([field.kind, field.body.DateGranularity]).toEqual([
              'DateDimensionField',
              dimension.granularity.toUpperCase(),
            ]);
          } else {
            expect([type, field.kind]).toEqual(['varchar', 'CategoricalDimensionField']);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it.each([
    [
      'email',
      'emails-sent',
      'emails-sent',
      {
        NumberDisplayFormatConfiguration: {
          DecimalPlacesConfiguration: { DecimalPlaces: 0 },
          NumberScale: 'NONE',
        },
      },
    ],
    [
      'email',
      'delivery-rate',
      'delivery-rate',
      { PercentageDisplayFormatConfiguration: { DecimalPlacesConfiguration: { DecimalPlaces: 1 } } },
    ],
    [
      'sms',
      'total-cost',
      'total-cost',
      {
        CurrencyDisplayFormatConfiguration: {
          Symbol: 'USD',
          DecimalPlacesConfiguration: { DecimalPlaces: 2 },
          NumberScale: 'NONE',
        },
      },
    ],
    [
      'voice',
      'average-call-duration',
      'average-call-duration',
      {
        NumberDisplayFormatConfiguration: { Suffix: ' s', DecimalPlacesConfiguration: { DecimalPlaces: 1 } },
      },
    ],
  ])(
    'formats %s.%s as the definition says, thousands separated and NULL as –',
    (sheetId, visualId, measureId, format) => {
      // Act
      const field = fieldsOf(visualOf(sheetId, visualId)[1]).get(`${sheetId}-${visualId}.${measureId}`)!;
      const numeric = ((field.body.FormatConfiguration as Json).FormatConfiguration ??
        (field.body.FormatConfiguration as Json).NumericFormatConfiguration) as Record<string, Json>;

      // Assert
      expect(numeric).toMatchObject(format);
      expect(Object.values(numeric)[0]).toMatchObject({
        SeparatorConfiguration: {
          DecimalSeparator: 'DOT',
          ThousandsSeparator: { Symbol: 'COMMA', Visibility: 'VISIBLE' },
        },
        NullValueFormatConfiguration: { NullString: '–' },
      });
    },
  );

  it('compiles each filter to a parameter, a control and a filter group per dataset whose column is not null', () => {
    // Prepare
    const sms = engagementDashboard.sheets.find((sheet) => sheet.id === 'sms')!;
    const visualsOf = (dataset: string) =>
      [...sms.kpis, ...sms.visuals]
        .filter((visual) => visual.dataset === dataset)
        .map((visual) => `sms-${visual.id}`);

    // Act
    const groups = (definition.FilterGroups as unknown as Json[]).filter((group) =>
      /^sms-(date|carrier)-/.test(group.FilterGroupId as string),
    );
    const controls = (sheetOf('sms') as unknown as { ParameterControls: Json[] }).ParameterControls;

    // Assert
    expect(groups).toEqual([
      ...['sms-rates', 'sms-messages'].map((dataset) => ({
        FilterGroupId: `sms-date-${dataset}`,
        CrossDataset: 'SINGLE_DATASET',
        Status: 'ENABLED',
        ScopeConfiguration: {
          SelectedSheets: {
            SheetVisualScopingConfigurations: [
              { SheetId: 'sms', Scope: 'SELECTED_VISUALS', VisualIds: visualsOf(dataset) },
            ],
          },
        },
        Filters: [
          {
            TimeRangeFilter: {
              FilterId: `sms-date-${dataset}-filter`,
              Column: {
                DataSetIdentifier: dataset,
                ColumnName: dataset === 'sms-rates' ? 'message_date' : 'message_timestamp',
              },
              IncludeMinimum: true,
              IncludeMaximum: true,
              NullOption: 'NON_NULLS_ONLY',
              TimeGranularity: 'DAY',
              RangeMinimumValue: { Parameter: 'smsDateFrom' },
              RangeMaximumValue: { Parameter: 'smsDateTo' },
            },
          },
        ],
      })),
      expect.objectContaining({
        FilterGroupId: 'sms-carrier-sms-messages',
        Filters: [
          {
            CategoryFilter: {
              FilterId: 'sms-carrier-sms-messages-filter',
              Column: { DataSetIdentifier: 'sms-messages', ColumnName: 'carrier_name' },
              Configuration: {
                CustomFilterConfiguration: {
                  MatchOperator: 'EQUALS',
                  ParameterName: 'smsCarrier',
                  NullOption: 'NON_NULLS_ONLY',
                  SelectAllOptions: 'FILTER_ALL_VALUES',
                },
              },
            },
          },
        ],
      }),
    ]);
    expect(controls.map((control) => Object.values(control)[0])).toEqual([
      expect.objectContaining({
        ParameterControlId: 'sms-date-from',
        SourceParameterName: 'smsDateFrom',
        Title: 'Date from',
      }),
      expect.objectContaining({
        ParameterControlId: 'sms-date-to',
        SourceParameterName: 'smsDateTo',
        Title: 'Date to',
      }),
      // A dropdown lists the values of the first dataset the filter names with a column.
      ...sms.filters
        .filter((filter) => filter.kind === 'values')
        .map((filter) => {
          const [dataset, column] = Object.entries(filter.columns).find(([, c]) => c !== null)!;
          return expect.objectContaining({
            Title: filter.label,
            Type: 'MULTI_SELECT',
            SelectableValues: { LinkToDataSetColumn: { DataSetIdentifier: dataset, ColumnName: column } },
          });
        }),
    ]);
    expect(definition.ParameterDeclarations).toContainEqual({
      StringParameterDeclaration: { Name: 'smsCarrier', ParameterValueType: 'MULTI_VALUED' },
    });
    expect(definition.ParameterDeclarations).toContainEqual({
      DateTimeParameterDeclaration: {
        Name: 'smsDateFrom',
        TimeGranularity: 'DAY',
        DefaultValues: { StaticValues: ['1970-01-01T00:00:00.000Z'] },
      },
    });
  });

  it('keeps the first rows of a limited table with a top-N filter, and the first categories of a limited bar chart', () => {
    // Act
    const top = (definition.FilterGroups as unknown as Json[]).find(
      (group) => group.FilterGroupId === 'email-campaign-performance-top',
    );
    const [, bar] = visualOf('email', 'by-isp');

    // Assert
    expect(top?.Filters).toEqual([
      {
        TopBottomFilter: {
          FilterId: 'email-campaign-performance-top',
          Column: { DataSetIdentifier: 'email-rates', ColumnName: 'campaign' },
          Limit: 100,
          AggregationSortConfigurations: [
            {
              Column: { DataSetIdentifier: 'email-rates', ColumnName: 'total_emails_sent' },
              SortDirection: 'DESC',
              AggregationFunction: { NumericalAggregationFunction: { SimpleNumericalAggregation: 'SUM' } },
            },
          ],
        },
      },
    ]);
    expect((bar.ChartConfiguration as Json).SortConfiguration).toEqual({
      CategorySort: [{ FieldSort: { FieldId: 'email-by-isp.emails-sent', Direction: 'DESC' } }],
      CategoryItemsLimit: { ItemsLimit: 10, OtherCategories: 'EXCLUDE' },
    });
  });

  it('refuses a definition checkDashboard rejects, listing every problem', () => {
    // Prepare
    const broken: Dashboard = {
      ...engagementDashboard,
      datasets: engagementDashboard.datasets.map((dataset) =>
        dataset.id === 'voice-calls' ? { ...dataset, view: 'voice_calls_view' } : dataset,
      ),
    };

    // Act
    const error = thrownBy(() => compileDashboard(broken, { views: analyticsViews, dataSetArns: {} }));

    // Assert
    expect(error).toBeInstanceOf(DashboardCompilationError);
    expect(error.name).toBe('DashboardCompilationError');
    expect(error.message).toMatch(
      /^The engagement dashboard cannot be compiled to QuickSight:\n- datasets\[voice-calls\]\.view: no analytics view is named voice_calls_view\n/,
    );
    expect(error.message).toMatch(/- datasets\[email-rates\]: no QuickSight dataset ARN was given for it\n/);
  });

  it('is written with aws-cdk-lib’s typed property types: a misspelt key does not compile, and would vanish at synth', () => {
    // Prepare: typecheck rejects the lines marked as errors.
    const typed: CfnDashboard.VisualProperty = {
      // @ts-expect-error the key is kpiVisual; KPIVisual, as a naive case conversion writes it, is no property
      KPIVisual: { visualId: 'misspelt' },
    };
    const filter: CfnDashboard.TimeRangeFilterProperty = {
      filterId: 'x',
      column: { dataSetIdentifier: 'sms-rates', columnName: 'message_date' },
      nullOption: 'ALL_VALUES',
      // @ts-expect-error the key is rangeMinimumValue
      rangeMinValue: { parameter: 'from' },
    };
    const stack = emptyStack();

    // Act
    new CfnDashboard(stack, 'Dashboard', {
      awsAccountId: '123456789012',
      dashboardId: 'typed',
      name: 'typed',
      definition: {
        dataSetIdentifierDeclarations: [],
        sheets: [{ sheetId: 's', visuals: [typed, { kpiVisual: { visualId: 'spelt' } }] }],
        filterGroups: [
          {
            filterGroupId: 'g',
            crossDataset: 'SINGLE_DATASET',
            scopeConfiguration: { allSheets: {} },
            filters: [{ timeRangeFilter: filter }],
          },
        ],
      },
    });
    const [rendered] = Object.values(Template.fromStack(stack).findResources('AWS::QuickSight::Dashboard'));
    const written = rendered.Properties.Definition as Json & {
      Sheets: { Visuals: Json[] }[];
      FilterGroups: { Filters: { TimeRangeFilter: Json }[] }[];
    };

    // Assert: the typed keys are written as the API names them; the misspelt ones are dropped silently.
    expect(written.Sheets[0].Visuals).toEqual([{}, { KPIVisual: { VisualId: 'spelt' } }]);
    expect(written.FilterGroups[0].Filters[0].TimeRangeFilter).toEqual({
      FilterId: 'x',
      Column: { DataSetIdentifier: 'sms-rates', ColumnName: 'message_date' },
      NullOption: 'ALL_VALUES',
    });
  });
});
