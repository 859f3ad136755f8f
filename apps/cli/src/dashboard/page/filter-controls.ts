import {
  type DateRangeFilter,
  type DateRangeValue,
  type Filter,
  FilterKind,
  type FilterValue,
  type ValuesFilter,
} from '@engagement-db/dashboards';
import { labelOf } from './charts';
import { element } from './dom';

/** A filter's control: its element, and how to give it the options the lake holds. */
export interface FilterControl {
  readonly element: HTMLElement;
  /** Fills the control with what the lake holds: `value` rows, or one `from`/`to` row for a date range. */
  setOptions(rows: readonly Record<string, unknown>[]): void;
}

/** The control of a filter, showing `value` and calling `onChange` with the new value (undefined: none). */
export function filterControl(
  filter: Filter,
  value: FilterValue | undefined,
  onChange: (value: FilterValue | undefined) => void,
): FilterControl {
  return filter.kind === FilterKind.dateRange
    ? dateRangeControl(filter, value as DateRangeValue | undefined, onChange)
    : valuesControl(filter, (value as readonly string[] | undefined) ?? [], onChange);
}

function dateRangeControl(
  filter: DateRangeFilter,
  value: DateRangeValue | undefined,
  onChange: (value: DateRangeValue | undefined) => void,
): FilterControl {
  const from = element('input', {
    type: 'date',
    name: 'from',
    'aria-label': `${filter.label} from`,
    value: value?.from,
  });
  const to = element('input', {
    type: 'date',
    name: 'to',
    'aria-label': `${filter.label} to`,
    value: value?.to,
  });
  const hint = element('span', { class: 'filter-hint' });
  const changed = (): void => {
    // A range typed backwards is read the right way round.
    let [first, last] = [from.value, to.value];
    if (first && last && first > last) [first, last] = [last, first];
    onChange(first || last ? { from: first || undefined, to: last || undefined } : undefined);
  };
  from.addEventListener('change', changed);
  to.addEventListener('change', changed);
  return {
    element: element(
      'div',
      { class: 'filter filter-date', 'data-filter': filter.id },
      element('span', { class: 'filter-label' }, filter.label),
      element('span', { class: 'date-inputs' }, from, element('span', { class: 'date-separator' }, '–'), to),
      hint,
    ),
    setOptions(rows) {
      const extent = rows[0] ?? {};
      const [first, last] = [extent['from'], extent['to']];
      for (const input of [from, to]) {
        if (typeof first === 'string') input.min = first;
        if (typeof last === 'string') input.max = last;
      }
      hint.textContent =
        typeof first === 'string' && typeof last === 'string' ? `data from ${first} to ${last}` : 'no data';
    },
  };
}

function valuesControl(
  filter: ValuesFilter,
  chosen: readonly string[],
  onChange: (value: readonly string[] | undefined) => void,
): FilterControl {
  const selected = new Set(chosen);
  const summary = element('summary', { class: 'dropdown-summary' });
  const search = element('input', {
    type: 'search',
    placeholder: `Find a ${filter.label.toLowerCase()}`,
    'aria-label': `Find a ${filter.label.toLowerCase()}`,
  });
  const list = element('div', { class: 'dropdown-options', role: 'group', 'aria-label': filter.label });
  const clear = element('button', { type: 'button', class: 'link-button' }, 'Clear');
  const dropdown = element(
    'details',
    { class: 'dropdown' },
    summary,
    element(
      'div',
      { class: 'dropdown-panel' },
      search,
      list,
      element('div', { class: 'dropdown-actions' }, clear),
    ),
  );
  const showSummary = (): void => {
    summary.textContent =
      selected.size === 0 ? 'All' : selected.size === 1 ? [...selected][0] : `${selected.size} selected`;
    summary.classList.toggle('is-set', selected.size > 0);
  };
  const changed = (): void => {
    showSummary();
    onChange(selected.size === 0 ? undefined : [...selected]);
  };
  let options: string[] = [...selected];
  const showOptions = (): void => {
    const needle = search.value.trim().toLowerCase();
    const shown = options.filter((option) => option.toLowerCase().includes(needle));
    list.replaceChildren(
      ...shown.map((option) => {
        const box = element('input', { type: 'checkbox', value: option, checked: selected.has(option) });
        box.addEventListener('change', () => {
          if (box.checked) selected.add(option);
          else selected.delete(option);
          changed();
        });
        return element('label', { class: 'dropdown-option' }, box, element('span', {}, option));
      }),
    );
    if (shown.length === 0)
      list.append(
        element('p', { class: 'muted' }, options.length === 0 ? 'No values in the lake' : 'No match'),
      );
  };
  search.addEventListener('input', showOptions);
  clear.addEventListener('click', () => {
    selected.clear();
    showOptions();
    changed();
  });
  // One open dropdown at a time; a click elsewhere closes it.
  document.addEventListener('click', (event) => {
    if (dropdown.open && !dropdown.contains(event.target as Node)) dropdown.open = false;
  });
  showSummary();
  showOptions();
  return {
    element: element(
      'div',
      { class: 'filter', 'data-filter': filter.id },
      element('span', { class: 'filter-label' }, filter.label),
      dropdown,
    ),
    setOptions(rows) {
      // Values chosen that the lake no longer holds stay listed, so they can be unchosen.
      options = [...new Set([...rows.map((row) => labelOf(row['value'])), ...selected])].sort();
      showOptions();
    },
  };
}
