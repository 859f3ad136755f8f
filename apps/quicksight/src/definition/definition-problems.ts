import { ColumnKind, type DatasetColumn, columnKindOf } from './view-columns';

/**
 * A QuickSight dashboard or analysis definition in the shape CloudFormation and the QuickSight API
 * give it (PascalCase keys): the part the checks read.
 */
export interface ApiDefinition {
  readonly DataSetIdentifierDeclarations?: readonly { Identifier: string; DataSetArn?: unknown }[];
  readonly Sheets?: readonly ApiSheet[];
  readonly CalculatedFields?: readonly { DataSetIdentifier: string; Name: string; Expression: string }[];
  readonly ParameterDeclarations?: readonly Record<string, { Name: string }>[];
  readonly FilterGroups?: readonly ApiFilterGroup[];
}

interface ApiSheet {
  readonly SheetId: string;
  readonly Visuals?: readonly Record<string, { VisualId: string }>[];
  readonly Layouts?: readonly {
    Configuration: { GridLayout?: { Elements: readonly { ElementId: string; ElementType: string }[] } };
  }[];
  readonly ParameterControls?: readonly Record<string, { SourceParameterName: string }>[];
}

interface ApiFilterGroup {
  readonly FilterGroupId: string;
  readonly Filters: readonly Record<string, { Column: ApiColumn; Parameter?: string }>[];
  readonly ScopeConfiguration: {
    SelectedSheets?: {
      SheetVisualScopingConfigurations?: readonly { SheetId: string; VisualIds?: readonly string[] }[];
    };
  };
}

interface ApiColumn {
  readonly DataSetIdentifier: string;
  readonly ColumnName: string;
}

/** The column kinds each kind of field reads, and whether its aggregation (if any) needs a number. */
const fieldKinds: Readonly<Record<string, readonly ColumnKind[]>> = {
  NumericalMeasureField: [ColumnKind.number],
  CategoricalMeasureField: [ColumnKind.text],
  DateMeasureField: [ColumnKind.time],
  NumericalDimensionField: [ColumnKind.number],
  CategoricalDimensionField: [ColumnKind.text],
  DateDimensionField: [ColumnKind.time],
};

/** One broken rule of a definition: where (a JSON path) and what. */
export interface DefinitionProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every way a compiled (or exported) definition breaks what QuickSight requires of it: visual ids
 * unique across the dashboard; every visual in its sheet's layout and every layout entry a visual of
 * the sheet; every dataset identifier declared once and used, and none used undeclared; every column
 * a visual, filter, control or calculated field reads exists in its dataset (a view column QuickSight
 * can read, or a calculated field of that dataset) with a type that fits the field (sums and averages
 * of numbers, counts of text or dates by their own field kinds, dates bucketed by dates); a ratio
 * (a numerical measure without aggregation) is a calculated field; every parameter a filter or
 * control uses is declared; every filter group is scoped to visuals of its sheet that read its dataset.
 *
 * @example definitionProblems(template.Resources.Dashboard.Properties.Definition, datasetColumnsOf(engagementDashboard, analyticsViews)) // []
 */
export function definitionProblems(
  definition: ApiDefinition,
  datasets: ReadonlyMap<string, readonly DatasetColumn[]>,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const report = (path: string, message: string) => problems.push({ path, message });
  const declared = (definition.DataSetIdentifierDeclarations ?? []).map((d) => d.Identifier);
  const calculated = definition.CalculatedFields ?? [];
  const parameters = new Set(
    (definition.ParameterDeclarations ?? []).flatMap((declaration) =>
      Object.values(declaration).map((parameter) => parameter.Name),
    ),
  );
  const used = new Set<string>();
  const columnOf = (column: ApiColumn) =>
    datasets.get(column.DataSetIdentifier)?.find((candidate) => candidate.name === column.ColumnName);
  const isCalculated = (column: ApiColumn) =>
    calculated.some(
      (field) => field.DataSetIdentifier === column.DataSetIdentifier && field.Name === column.ColumnName,
    );
  const checkColumn = (path: string, column: ApiColumn, fits?: readonly ColumnKind[]) => {
    used.add(column.DataSetIdentifier);
    if (!declared.includes(column.DataSetIdentifier)) {
      report(
        path,
        `reads the dataset ${column.DataSetIdentifier}, which DataSetIdentifierDeclarations does not declare`,
      );
      return;
    }
    if (isCalculated(column)) return;
    const found = columnOf(column);
    if (!found) {
      report(path, `${column.DataSetIdentifier} has no column or calculated field ${column.ColumnName}`);
    } else if (fits && !fits.includes(columnKindOf(found.type))) {
      report(
        path,
        `${column.DataSetIdentifier}.${column.ColumnName} is ${found.type}, which does not fit this field`,
      );
    }
  };

  declared.forEach((identifier, index) => {
    if (declared.indexOf(identifier) !== index)
      report(`DataSetIdentifierDeclarations[${index}]`, `${identifier} is declared twice`);
    if (!datasets.has(identifier))
      report(`DataSetIdentifierDeclarations[${index}]`, `${identifier} is no dataset of the dashboard`);
  });

  const visualIds = new Map<string, string>();
  const visualDatasets = new Map<string, Set<string>>();
  for (const [sheetIndex, sheet] of (definition.Sheets ?? []).entries()) {
    const sheetPath = `Sheets[${sheetIndex}]`;
    const onSheet: string[] = [];
    for (const [index, visual] of (sheet.Visuals ?? []).entries()) {
      const [kind, body] = Object.entries(visual)[0];
      const path = `${sheetPath}.Visuals[${index}].${kind}`;
      const id = body.VisualId;
      if (visualIds.has(id)) report(path, `the visual id ${id} is also used at ${visualIds.get(id)}`);
      visualIds.set(id, path);
      onSheet.push(id);
      const read = new Set<string>();
      walk(body, path, (fieldPath, key, value) => {
        if (fieldKinds[key] === undefined) return;
        const field = value as { Column: ApiColumn; AggregationFunction?: unknown };
        read.add(field.Column.DataSetIdentifier);
        const aggregation = JSON.stringify(field.AggregationFunction ?? null);
        if (key === 'NumericalMeasureField' && field.AggregationFunction === undefined) {
          if (!isCalculated(field.Column))
            report(fieldPath, `${field.Column.ColumnName} has no aggregation and is no calculated field`);
          return;
        }
        // Counts read any column; sums and averages only numbers.
        const counts = /"(DISTINCT_)?COUNT"/.test(aggregation);
        checkColumn(
          fieldPath,
          field.Column,
          counts && key.endsWith('MeasureField') ? undefined : fieldKinds[key],
        );
      });
      walk(body, path, (axisPath, key, value) => {
        if (key === 'ApplyTo') checkColumn(axisPath, (value as { Column: ApiColumn }).Column);
      });
      visualDatasets.set(id, read);
      if (read.size !== 1) report(path, `reads ${read.size} datasets; a visual reads one`);
    }
    const elements = (sheet.Layouts ?? []).flatMap(
      (layout) => layout.Configuration.GridLayout?.Elements ?? [],
    );
    const laidOut = elements
      .filter((element) => element.ElementType === 'VISUAL')
      .map((element) => element.ElementId);
    for (const id of onSheet.filter((id) => !laidOut.includes(id)))
      report(`${sheetPath}.Layouts`, `the visual ${id} is in no layout of its sheet`);
    for (const id of laidOut.filter((id) => !onSheet.includes(id)))
      report(`${sheetPath}.Layouts`, `the layout places ${id}, which is no visual of the sheet`);
    for (const [index, control] of (sheet.ParameterControls ?? []).entries()) {
      const [kind, body] = Object.entries(control)[0];
      const path = `${sheetPath}.ParameterControls[${index}].${kind}`;
      if (!parameters.has(body.SourceParameterName))
        report(path, `sets the parameter ${body.SourceParameterName}, which is not declared`);
      const link = (body as { SelectableValues?: { LinkToDataSetColumn?: ApiColumn } }).SelectableValues
        ?.LinkToDataSetColumn;
      if (link) checkColumn(`${path}.SelectableValues`, link, [ColumnKind.text]);
    }
  }

  for (const [index, group] of (definition.FilterGroups ?? []).entries()) {
    const path = `FilterGroups[${index}]`;
    for (const [filterIndex, filter] of group.Filters.entries()) {
      const [kind, body] = Object.entries(filter)[0];
      const filterPath = `${path}.Filters[${filterIndex}].${kind}`;
      const fits =
        kind === 'TimeRangeFilter'
          ? [ColumnKind.time]
          : kind === 'CategoryFilter'
            ? [ColumnKind.text]
            : undefined;
      checkColumn(filterPath, body.Column, fits);
      walk(body, filterPath, (parameterPath, key, value) => {
        if ((key === 'Parameter' || key === 'ParameterName') && !parameters.has(value as string))
          report(parameterPath, `reads the parameter ${String(value)}, which is not declared`);
      });
      const scopes = group.ScopeConfiguration.SelectedSheets?.SheetVisualScopingConfigurations ?? [];
      for (const scope of scopes) {
        const sheet = (definition.Sheets ?? []).find((candidate) => candidate.SheetId === scope.SheetId);
        if (!sheet)
          report(`${path}.ScopeConfiguration`, `names the sheet ${scope.SheetId}, which does not exist`);
        for (const visualId of scope.VisualIds ?? []) {
          const onSheet = sheet?.Visuals?.some((visual) => Object.values(visual)[0].VisualId === visualId);
          if (!onSheet)
            report(
              `${path}.ScopeConfiguration`,
              `scopes ${visualId}, which is no visual of ${scope.SheetId}`,
            );
          else if (!visualDatasets.get(visualId)?.has(body.Column.DataSetIdentifier))
            report(
              `${path}.ScopeConfiguration`,
              `scopes ${visualId}, which does not read ${body.Column.DataSetIdentifier}`,
            );
        }
      }
    }
  }

  for (const [index, field] of calculated.entries()) {
    const path = `CalculatedFields[${index}]`;
    for (const [, name] of field.Expression.matchAll(/\{([^}]+)\}/g))
      checkColumn(path, { DataSetIdentifier: field.DataSetIdentifier, ColumnName: name });
  }

  declared.forEach((identifier, index) => {
    if (!used.has(identifier))
      report(`DataSetIdentifierDeclarations[${index}]`, `${identifier} is declared but nothing reads it`);
  });
  return problems;
}

/** Calls `visit` for every key of every object under `value`, with the path of its value. */
function walk(
  value: unknown,
  path: string,
  visit: (path: string, key: string, value: unknown) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, visit));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      visit(`${path}.${key}`, key, child);
      walk(child, `${path}.${key}`, visit);
    }
  }
}
