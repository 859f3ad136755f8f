import { Template } from 'aws-cdk-lib/assertions';
import { engagementDashboard } from '@engagement-db/dashboards';
import { analyticsViews } from '@engagement-db/sql';
import { definitionOf, removeTestOutdirs, testStack } from '../../test/test-stack';
import { definitionProblems } from './definition-problems';
import { type DatasetColumn, datasetColumnsOf } from './view-columns';

type Json = Record<string, unknown>;
type Element = { ElementId: string; ElementType: string };
/** The compiled definition as written to the template, with the parts the cases change. */
type Definition = {
  DataSetIdentifierDeclarations: { Identifier: string; DataSetArn: unknown }[];
  Sheets: {
    SheetId: string;
    Visuals: Record<string, { VisualId: string }>[];
    Layouts: { Configuration: { GridLayout: { Elements: Element[] } } }[];
    ParameterControls: Record<string, { SourceParameterName: string }>[];
  }[];
  FilterGroups: {
    FilterGroupId: string;
    Filters: Record<string, { Column: { DataSetIdentifier: string; ColumnName: string } } & Json>[];
    ScopeConfiguration: {
      SelectedSheets: { SheetVisualScopingConfigurations: { SheetId: string; VisualIds: string[] }[] };
    };
  }[];
  CalculatedFields: { DataSetIdentifier: string; Name: string; Expression: string }[];
  ParameterDeclarations: Record<string, { Name: string }>[];
};

let compiled: Definition;
const columns = datasetColumnsOf(engagementDashboard, analyticsViews);

beforeAll(() => {
  compiled = definitionOf(Template.fromStack(testStack())) as unknown as Definition;
});

afterAll(() => {
  removeTestOutdirs();
});

const voice = (definition: Definition) => definition.Sheets.find((sheet) => sheet.SheetId === 'voice')!;
const voiceIndex = () => compiled.Sheets.findIndex((sheet) => sheet.SheetId === 'voice');
const elementsOf = (definition: Definition) => voice(definition).Layouts[0].Configuration.GridLayout.Elements;
const groupOf = (definition: Definition, id: string) =>
  definition.FilterGroups.find((group) => group.FilterGroupId === id)!;
const groupIndex = (id: string) => compiled.FilterGroups.findIndex((group) => group.FilterGroupId === id);
const bodyOf = (record: Record<string, unknown>) => Object.values(record)[0] as Json;

/** The problems of the compiled definition after a change to a copy of it. */
function problemsAfter(
  change: (definition: Definition) => void,
  datasets: ReadonlyMap<string, readonly DatasetColumn[]> = columns,
) {
  const definition = structuredClone(compiled);
  change(definition);
  return definitionProblems(definition, datasets);
}

describe('definitionProblems', () => {
  it('finds none in the compiled definition', () => {
    // Act
    const problems = definitionProblems(compiled, columns);

    // Assert
    expect(problems).toEqual([]);
  });

  it('reports a visual id used twice, with both places', () => {
    // Act
    const problems = problemsAfter((definition) => {
      bodyOf(voice(definition).Visuals[1]).VisualId = 'voice-calls';
      elementsOf(definition)[1].ElementId = 'voice-calls';
    });

    // Assert
    expect(problems).toContainEqual({
      path: `Sheets[${voiceIndex()}].Visuals[1].KPIVisual`,
      message: `the visual id voice-calls is also used at Sheets[${voiceIndex()}].Visuals[0].KPIVisual`,
    });
  });

  it('reports a visual missing from the layout and a layout entry that is no visual', () => {
    // Act
    const problems = problemsAfter((definition) => {
      elementsOf(definition)[2].ElementId = 'voice-ghost';
    });

    // Assert
    expect(problems).toEqual([
      {
        path: `Sheets[${voiceIndex()}].Layouts`,
        message: 'the visual voice-countries is in no layout of its sheet',
      },
      {
        path: `Sheets[${voiceIndex()}].Layouts`,
        message: 'the layout places voice-ghost, which is no visual of the sheet',
      },
    ]);
  });

  it('reports a dataset read but not declared, declared twice, declared but read by nothing, or unknown', () => {
    // Prepare
    const withSpare = new Map([...columns, ['spare', columns.get('voice-calls')!]]);

    // Act
    const undeclared = problemsAfter((definition) => {
      definition.DataSetIdentifierDeclarations = definition.DataSetIdentifierDeclarations.filter(
        (declaration) => declaration.Identifier !== 'voice-calls',
      );
    });
    const twice = problemsAfter((definition) => {
      definition.DataSetIdentifierDeclarations.push({ Identifier: 'voice-calls', DataSetArn: 'arn' });
    });
    const unread = problemsAfter((definition) => {
      definition.DataSetIdentifierDeclarations.push({ Identifier: 'spare', DataSetArn: 'arn' });
    }, withSpare);
    const unknown = problemsAfter((definition) => {
      definition.DataSetIdentifierDeclarations.push({ Identifier: 'spare', DataSetArn: 'arn' });
    });

    // Assert
    expect(undeclared.length).toBeGreaterThan(5);
    expect(undeclared).toContainEqual({
      path: `Sheets[${voiceIndex()}].Visuals[4].KPIVisual.ChartConfiguration.FieldWells.Values[0].NumericalMeasureField`,
      message: 'reads the dataset voice-calls, which DataSetIdentifierDeclarations does not declare',
    });
    expect(new Set(undeclared.map((problem) => problem.message.split(',')[0]))).toEqual(
      new Set(['reads the dataset voice-calls']),
    );
    const last = compiled.DataSetIdentifierDeclarations.length;
    expect(twice).toEqual([
      { path: `DataSetIdentifierDeclarations[${last}]`, message: 'voice-calls is declared twice' },
    ]);
    expect(unread).toEqual([
      { path: `DataSetIdentifierDeclarations[${last}]`, message: 'spare is declared but nothing reads it' },
    ]);
    expect(unknown).toEqual([
      { path: `DataSetIdentifierDeclarations[${last}]`, message: 'spare is no dataset of the dashboard' },
      { path: `DataSetIdentifierDeclarations[${last}]`, message: 'spare is declared but nothing reads it' },
    ]);
  });

  it('reports a filter on a column its view lacks, or of a type the filter cannot take', () => {
    // Prepare
    const path = (id: string, kind: string) => `FilterGroups[${groupIndex(id)}].Filters[0].${kind}`;

    // Act
    const problems = problemsAfter((definition) => {
      bodyOf(groupOf(definition, 'voice-carrier-voice-calls').Filters[0]).Column = {
        DataSetIdentifier: 'voice-calls',
        ColumnName: 'carrier',
      };
      bodyOf(groupOf(definition, 'voice-date-voice-calls').Filters[0]).Column = {
        DataSetIdentifier: 'voice-calls',
        ColumnName: 'carrier_name',
      };
    });

    // Assert
    expect(problems).toEqual([
      {
        path: path('voice-date-voice-calls', 'TimeRangeFilter'),
        message: 'voice-calls.carrier_name is varchar, which does not fit this field',
      },
      {
        path: path('voice-carrier-voice-calls', 'CategoryFilter'),
        message: 'voice-calls has no column or calculated field carrier',
      },
    ]);
  });

  it('reports a filter scoped to a visual of another dataset or sheet, and a parameter nobody declared', () => {
    // Prepare
    const id = 'voice-carrier-voice-calls';

    // Act
    const problems = problemsAfter((definition) => {
      const group = groupOf(definition, id);
      group.ScopeConfiguration.SelectedSheets.SheetVisualScopingConfigurations[0].VisualIds.push(
        'voice-success-rate',
        'sms-messages',
      );
      definition.ParameterDeclarations = definition.ParameterDeclarations.filter(
        (declaration) => bodyOf(declaration).Name !== 'voiceCarrier',
      );
    });

    // Assert
    const path = `FilterGroups[${groupIndex(id)}]`;
    expect(problems).toEqual([
      {
        path: `Sheets[${voiceIndex()}].ParameterControls[3].Dropdown`,
        message: 'sets the parameter voiceCarrier, which is not declared',
      },
      {
        path: `${path}.Filters[0].CategoryFilter.Configuration.CustomFilterConfiguration.ParameterName`,
        message: 'reads the parameter voiceCarrier, which is not declared',
      },
      {
        path: `${path}.ScopeConfiguration`,
        message: 'scopes voice-success-rate, which does not read voice-calls',
      },
      { path: `${path}.ScopeConfiguration`, message: 'scopes sms-messages, which is no visual of voice' },
    ]);
  });

  it('reports a calculated field over a column its view lacks', () => {
    // Act
    const problems = problemsAfter((definition) => {
      definition.CalculatedFields[0].Expression = 'sum({no_such_column}) / nullIf(count({message_id}), 0)';
    });

    // Assert
    expect(problems).toContainEqual({
      path: 'CalculatedFields[0]',
      message: `${compiled.CalculatedFields[0].DataSetIdentifier} has no column or calculated field no_such_column`,
    });
  });
});
