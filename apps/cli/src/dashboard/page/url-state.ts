import { type DateRangeValue, type FilterSelection, FilterKind, type Sheet } from '@engagement-db/dashboards';

/** What the address says: the sheet shown and the filter values chosen. */
export interface PageState {
  readonly sheet: Sheet;
  readonly selection: FilterSelection;
}

/**
 * Reads `?sheet=sms&from=2025-03-01&to=2025-03-31&country=US&country=MX` against the dashboard's sheets: an
 * unknown or missing sheet is the first one; the date range is `from` and `to`; a values filter is its id,
 * once per value. Unknown parameters are ignored; the server checks the values again.
 */
export function readPageState(search: string, sheets: readonly Sheet[]): PageState {
  const parameters = new URLSearchParams(search);
  const sheet = sheets.find((s) => s.id === parameters.get('sheet')) ?? sheets[0];
  const selection: Record<string, DateRangeValue | string[]> = {};
  for (const filter of sheet.filters) {
    if (filter.kind === FilterKind.dateRange) {
      const range = { from: parameters.get('from') || undefined, to: parameters.get('to') || undefined };
      if (range.from !== undefined || range.to !== undefined) selection[filter.id] = range;
    } else {
      const values = parameters.getAll(filter.id);
      if (values.length > 0) selection[filter.id] = values;
    }
  }
  return { sheet, selection };
}

/** The address of a sheet with filter values: the inverse of {@link readPageState}. */
export function pageSearch(sheet: Sheet, selection: FilterSelection): string {
  const parameters = new URLSearchParams({ sheet: sheet.id });
  for (const filter of sheet.filters) {
    const value = selection[filter.id];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) parameters.append(filter.id, item);
    } else {
      const range = value as DateRangeValue;
      if (range.from) parameters.set('from', range.from);
      if (range.to) parameters.set('to', range.to);
    }
  }
  return `?${parameters.toString()}`;
}

/** The date range chosen on a sheet, if any. */
export function dateRangeOf(sheet: Sheet, selection: FilterSelection): DateRangeValue | undefined {
  const filter = sheet.filters.find((f) => f.kind === FilterKind.dateRange);
  return filter ? (selection[filter.id] as DateRangeValue | undefined) : undefined;
}
