import type { ECharts } from 'echarts/core';
import {
  type FilterSelection,
  type FilterValue,
  type Kpi,
  type Sheet,
  type Table,
  type Visual,
  VisualKind,
  formatValue,
} from '@engagement-db/dashboards';
import type { SheetRows, VisualRows } from './api';
import { drawChart, labelOf } from './charts';
import { element } from './dom';
import { type FilterControl, filterControl } from './filter-controls';

/**
 * One sheet on the page: its filters, KPIs, charts and tables, laid out from the definition, then filled with
 * each answer from the server. Every KPI carries `data-kpi="<sheet>.<id>"` and the raw number in `data-value`.
 */
export class SheetView {
  readonly element: HTMLElement;
  private readonly filterControls = new Map<string, FilterControl>();
  private readonly kpiCards = new Map<string, HTMLElement>();
  private readonly visualCards = new Map<string, HTMLElement>();
  private readonly charts = new Map<string, ECharts>();

  constructor(
    readonly sheet: Sheet,
    selection: FilterSelection,
    onFilter: (id: string, value: FilterValue | undefined) => void,
    onClear: () => void,
  ) {
    const filters = element('div', {
      class: 'filters',
      role: 'search',
      'aria-label': `${sheet.title} filters`,
    });
    for (const filter of sheet.filters) {
      const control = filterControl(filter, selection[filter.id], (value) => onFilter(filter.id, value));
      this.filterControls.set(filter.id, control);
      filters.append(control.element);
    }
    const clear = element('button', { type: 'button', class: 'link-button clear-filters' }, 'Clear filters');
    clear.addEventListener('click', onClear);
    filters.append(clear);

    const kpis = element('div', { class: 'kpis' });
    for (const kpi of sheet.kpis) {
      const card = element(
        'div',
        { class: 'kpi card', 'data-kpi': `${sheet.id}.${kpi.id}`, title: kpi.description },
        element('div', { class: 'kpi-title' }, kpi.title),
        element('div', { class: 'kpi-value' }, '…'),
        element('div', { class: 'kpi-note' }),
      );
      this.kpiCards.set(kpi.id, card);
      kpis.append(card);
    }

    const visuals = element('div', { class: 'visuals' });
    for (const visual of sheet.visuals) {
      const card = element(
        'article',
        { class: `visual card ${visual.width}`, 'data-visual': `${sheet.id}.${visual.id}` },
        element('h3', {}, visual.title),
        element('p', { class: 'visual-description' }, visual.description),
        element('div', { class: visual.kind === VisualKind.table ? 'table-wrap' : 'chart' }),
        element('p', { class: 'visual-note' }),
      );
      this.visualCards.set(visual.id, card);
      visuals.append(card);
    }

    this.element = element(
      'section',
      { class: 'sheet', 'data-sheet': sheet.id, 'aria-labelledby': `sheet-title-${sheet.id}` },
      element(
        'div',
        { class: 'sheet-head' },
        element('h2', { id: `sheet-title-${sheet.id}` }, sheet.title),
        element('p', { class: 'muted' }, sheet.description),
      ),
      filters,
      kpis,
      visuals,
    );
  }

  /** Shows what the server answered; resolves once every chart is drawn. */
  async show(data: SheetRows, selection: FilterSelection): Promise<void> {
    this.element.classList.toggle('has-filters', Object.keys(selection).length > 0);
    for (const [id, control] of this.filterControls) control.setOptions(data.filters[id] ?? []);
    for (const kpi of this.sheet.kpis) this.showKpi(kpi, data.visuals[kpi.id]);
    await Promise.all(this.sheet.visuals.map((visual) => this.showVisual(visual, data.visuals[visual.id])));
  }

  /** Shows a failure in place of the numbers. */
  showFailure(message: string): void {
    for (const card of this.kpiCards.values()) {
      card.dataset.value = '';
      (card.querySelector('.kpi-value') as HTMLElement).textContent = '–';
    }
    for (const [id, card] of this.visualCards) {
      this.charts.get(id)?.dispose();
      this.charts.delete(id);
      const body = card.querySelector('.chart, .table-wrap') as HTMLElement;
      body.replaceChildren(element('p', { class: 'visual-empty error-text' }, message));
    }
  }

  /** Redraws the charts at their containers' new sizes. */
  resize(): void {
    for (const chart of this.charts.values()) chart.resize();
  }

  /** Releases the charts. */
  dispose(): void {
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
  }

  private showKpi(kpi: Kpi, data: VisualRows | undefined): void {
    const card = this.kpiCards.get(kpi.id) as HTMLElement;
    const value = data?.rows[0]?.[kpi.measure.id];
    // The raw number as the query gave it (a fraction for a rate); empty when there is none.
    card.dataset.value = value === null || value === undefined ? '' : String(value);
    (card.querySelector('.kpi-value') as HTMLElement).textContent = formatValue(value, kpi.measure.format);
    (card.querySelector('.kpi-note') as HTMLElement).textContent = this.unappliedNote(data);
  }

  private async showVisual(visual: Visual, data: VisualRows | undefined): Promise<void> {
    const card = this.visualCards.get(visual.id) as HTMLElement;
    (card.querySelector('.visual-note') as HTMLElement).textContent = this.unappliedNote(data);
    const body = card.querySelector('.chart, .table-wrap') as HTMLElement;
    const rows = data?.rows ?? [];
    if (visual.kind === VisualKind.table) {
      body.replaceChildren(rows.length === 0 ? noData() : table(visual, rows));
      return;
    }
    if (rows.length === 0) {
      this.charts.get(visual.id)?.dispose();
      this.charts.delete(visual.id);
      body.replaceChildren(noData());
      return;
    }
    if (!this.charts.has(visual.id)) body.replaceChildren();
    this.charts.set(visual.id, await drawChart(body, visual, rows));
  }

  private unappliedNote(data: VisualRows | undefined): string {
    const labels = (data?.unappliedFilters ?? []).map(
      (id) => this.sheet.filters.find((filter) => filter.id === id)?.label ?? id,
    );
    return labels.length === 0
      ? ''
      : `Not narrowed by ${labels.join(', ').toLowerCase()}: its view has no such column.`;
  }
}

function noData(): HTMLElement {
  return element('p', { class: 'visual-empty' }, 'No data for these filters.');
}

function table(visual: Table, rows: readonly Record<string, unknown>[]): HTMLElement {
  const head = element(
    'tr',
    {},
    ...visual.dimensions.map((d) => element('th', { scope: 'col' }, d.label)),
    ...visual.measures.map((m) => element('th', { scope: 'col', class: 'number' }, m.label)),
  );
  const body = rows.map((row) =>
    element(
      'tr',
      {},
      ...visual.dimensions.map((d) => element('td', {}, labelOf(row[d.id]))),
      ...visual.measures.map((m) => element('td', { class: 'number' }, formatValue(row[m.id], m.format))),
    ),
  );
  return element('table', {}, element('thead', {}, head), element('tbody', {}, ...body));
}
