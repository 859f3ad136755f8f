/** One difference between the definition in code and the deployed one, at a path of the definition. */
export interface DefinitionDifference {
  /** Where: `Sheets[email].Visuals[email-delivery-rate].KPIVisual.Title.FormatText.PlainText`. */
  readonly path: string;
  /** `changed` (both have it, differently), `deployed-only` (added in the console), `code-only` (removed there). */
  readonly kind: 'changed' | 'deployed-only' | 'code-only';
  readonly code?: unknown;
  readonly deployed?: unknown;
}

// The keys that identify an item of a list, so that an added or moved visual is one difference, not a shifted list.
const identifyingKeys = [
  'SheetId',
  'VisualId',
  'FilterGroupId',
  'FilterId',
  'ParameterControlId',
  'ElementId',
  'FieldId',
  'Identifier',
  'Name',
];

/**
 * How a deployed definition (from `DescribeDashboardDefinition`) differs from the one in code, so that
 * an edit made in the console can be brought back to the definition: items of lists are matched by
 * their id (sheet, visual, filter group, field, parameter, layout element, dataset identifier), other
 * lists by position; what QuickSight leaves out or fills in as empty (`[]`, `{}`, `null`) counts as
 * absent; dates compare as ISO strings; dataset ARNs are not compared (the identifiers are).
 *
 * @example diffDefinitions(code, deployed) // [{ path: 'Sheets[email].Title', kind: 'changed', code: 'Email', deployed: 'E-mail' }]
 */
export function diffDefinitions(code: unknown, deployed: unknown): DefinitionDifference[] {
  const differences: DefinitionDifference[] = [];
  compare(normalized(code), normalized(deployed), '', differences);
  return differences;
}

/** A JSON copy without empty values and dataset ARNs; Dates become ISO strings. */
function normalized(value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value ?? null), (key, child: unknown) => {
    if (key === 'DataSetArn') return undefined;
    if (child === null) return undefined;
    if (Array.isArray(child))
      return child.length === 0 ? undefined : child.filter((item) => item !== undefined);
    if (typeof child === 'object' && Object.keys(child as object).length === 0) return undefined;
    return child;
  }) as unknown;
  return copy;
}

function idOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const record = item as Record<string, unknown>;
  for (const key of identifyingKeys) if (typeof record[key] === 'string') return record[key];
  // A union member such as { KPIVisual: { VisualId } } or { TimeRangeFilter: { FilterId } }.
  const values = Object.values(record);
  return values.length === 1 ? idOf(values[0]) : undefined;
}

function compare(code: unknown, deployed: unknown, path: string, out: DefinitionDifference[]): void {
  if (code === undefined && deployed === undefined) return;
  if (code === undefined) return void out.push({ path, kind: 'deployed-only', deployed });
  if (deployed === undefined) return void out.push({ path, kind: 'code-only', code });
  if (Array.isArray(code) && Array.isArray(deployed)) return compareLists(code, deployed, path, out);
  if (isRecord(code) && isRecord(deployed)) {
    for (const key of new Set([...Object.keys(code), ...Object.keys(deployed)]))
      compare(code[key], deployed[key], path === '' ? key : `${path}.${key}`, out);
    return;
  }
  if (JSON.stringify(code) !== JSON.stringify(deployed)) out.push({ path, kind: 'changed', code, deployed });
}

function compareLists(code: unknown[], deployed: unknown[], path: string, out: DefinitionDifference[]): void {
  const codeIds = code.map(idOf);
  const deployedIds = deployed.map(idOf);
  const keyed =
    [...codeIds, ...deployedIds].every((id) => id !== undefined) &&
    new Set(codeIds).size === codeIds.length &&
    new Set(deployedIds).size === deployedIds.length;
  if (!keyed) {
    for (let index = 0; index < Math.max(code.length, deployed.length); index++)
      compare(code[index], deployed[index], `${path}[${index}]`, out);
    return;
  }
  for (const id of new Set([...codeIds, ...deployedIds]) as Set<string>)
    compare(code[codeIds.indexOf(id)], deployed[deployedIds.indexOf(id)], `${path}[${id}]`, out);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
