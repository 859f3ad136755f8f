// The dashboard page: the sheets of the engagement dashboard definition, drawn from what the server computes on
// the lake, refreshed when new data lands. `document.body.dataset.ready` is 'true' once everything the current
// sheet shows is on the screen (tests wait on it), `dataset.version` the lake version shown.
import {
  type FilterSelection,
  type FilterValue,
  FilterKind,
  type Sheet,
  engagementDashboard,
  formatValue,
} from '@engagement-db/dashboards';
import { ApiError, type LakeStatus, fetchLakeStatus, fetchSheet } from './api';
import { element } from './dom';
import { SheetView } from './sheet-view';
import { dateRangeOf, pageSearch, readPageState } from './url-state';

const dashboard = engagementDashboard;
// How often the page asks whether the lake changed: one directory listing on the server.
const pollIntervalMs = 2000;
const integer = { kind: 'integer' } as const;

let sheet: Sheet;
let selection: FilterSelection;
let view: SheetView | undefined;
let status: LakeStatus | undefined;
let shownVersion: string | undefined;
// Each load has a number; an answer to an older load is dropped.
let load = 0;

const lakeLine = element('p', { class: 'lake-line' });
const liveBadge = element(
  'span',
  { class: 'live', title: 'The page refreshes when new data lands in the lake' },
  'Live',
);
const banner = element('div', { class: 'banner', role: 'status', hidden: true });
const tabs = element('nav', { class: 'tabs', 'aria-label': 'Sheets' });
const content = element('main', { class: 'content' });

function start(): void {
  for (const each of dashboard.sheets) {
    const link = element('a', { href: `/?sheet=${each.id}`, 'data-sheet-link': each.id }, each.title);
    link.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      showSheet(each, carriedSelection(each), 'push');
    });
    tabs.append(link);
  }
  document.body.append(
    element(
      'header',
      { class: 'topbar' },
      element(
        'div',
        { class: 'brand' },
        element('h1', {}, dashboard.title),
        element('span', { class: 'product' }, 'engagement-db'),
      ),
      element('div', { class: 'lake' }, liveBadge, lakeLine),
    ),
    tabs,
    banner,
    content,
  );
  window.addEventListener('popstate', () => {
    const state = readPageState(location.search, dashboard.sheets);
    showSheet(state.sheet, state.selection, 'none');
  });
  let resizing: number | undefined;
  window.addEventListener('resize', () => {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(() => view?.resize(), 100);
  });
  const state = readPageState(location.search, dashboard.sheets);
  showSheet(state.sheet, state.selection, 'replace');
  window.setInterval(() => void poll(), pollIntervalMs);
}

/** The date range of the sheet shown, kept when another sheet is opened (its other filters are its own). */
function carriedSelection(next: Sheet): FilterSelection {
  const range = dateRangeOf(sheet, selection);
  const filter = next.filters.find((f) => f.kind === FilterKind.dateRange);
  return range && filter ? { [filter.id]: range } : {};
}

function showSheet(next: Sheet, chosen: FilterSelection, history: 'push' | 'replace' | 'none'): void {
  sheet = next;
  selection = chosen;
  const search = pageSearch(sheet, selection);
  if (history === 'push') window.history.pushState(null, '', search);
  if (history === 'replace') window.history.replaceState(null, '', search);
  for (const link of tabs.querySelectorAll<HTMLAnchorElement>('a')) {
    if (link.dataset.sheetLink === sheet.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${sheet.title} · ${dashboard.title}`;
  view?.dispose();
  view = undefined;
  content.replaceChildren();
  void refresh();
}

function chooseFilter(id: string, value: FilterValue | undefined): void {
  const next: Record<string, FilterValue> = {};
  for (const [key, chosen] of Object.entries(selection))
    if (key !== id && chosen !== undefined) next[key] = chosen;
  if (value !== undefined) next[id] = value;
  selection = next;
  window.history.replaceState(null, '', pageSearch(sheet, selection));
  void refresh();
}

/** Loads the lake's state and the sheet's data, and shows them. */
async function refresh(): Promise<void> {
  const mine = ++load;
  document.body.dataset.ready = 'false';
  try {
    status = await fetchLakeStatus();
    if (mine !== load) return;
    showStatus(status);
    if (status.state !== 'ready') {
      view?.dispose();
      view = undefined;
      content.replaceChildren(status.state === 'broken' ? brokenLake(status) : emptyLake(status));
      finish(mine, status.version);
      return;
    }
    if (!view) {
      view = new SheetView(sheet, selection, chooseFilter, () => {
        view?.dispose();
        view = undefined;
        content.replaceChildren();
        selection = {};
        window.history.replaceState(null, '', pageSearch(sheet, selection));
        void refresh();
      });
      content.replaceChildren(view.element);
    }
    const shown = view;
    const data = await fetchSheet(sheet.id, selection);
    if (mine !== load) return;
    await shown.show(data, selection);
    if (mine !== load) return;
    hideBanner();
    finish(mine, data.version);
  } catch (error) {
    if (mine !== load) return;
    const message = error instanceof ApiError ? error.message : String(error);
    if (view) view.showFailure(message);
    showBanner(`The dashboard could not load this sheet: ${message}`);
    finish(mine, status?.version ?? '');
  }
}

function finish(mine: number, version: string): void {
  if (mine !== load) return;
  shownVersion = version;
  document.body.dataset.version = version;
  document.body.dataset.ready = 'true';
}

/** Asks whether the lake changed; reloads the sheet when it did. */
async function poll(): Promise<void> {
  if (document.hidden || document.body.dataset.ready !== 'true') return;
  try {
    const now = await fetchLakeStatus();
    if (now.version !== shownVersion || now.state !== status?.state) await refresh();
    else hideBannerIf('unreachable');
  } catch {
    showBanner(
      `The dashboard server does not answer; the page shows the data of ${new Date().toLocaleTimeString()} and ` +
        'refreshes when it is back.',
      'unreachable',
    );
  }
}

function showStatus(lake: LakeStatus): void {
  const parts = [`Lake ${lake.lake}`];
  if (lake.rows) {
    parts.push(`${formatValue(lake.rows.events, integer)} events`);
    parts.push(`${formatValue(lake.rows.conversations, integer)} conversations`);
  }
  parts.push(`refreshed ${new Date().toLocaleTimeString()}`);
  lakeLine.textContent = parts.join(' · ');
}

function showBanner(message: string, reason = 'failure'): void {
  banner.textContent = message;
  banner.dataset.reason = reason;
  banner.hidden = false;
}

function hideBanner(): void {
  banner.hidden = true;
}

function hideBannerIf(reason: string): void {
  if (banner.dataset.reason === reason) hideBanner();
}

/** The commands that fill a lake, with the lake's own path in them. */
function emptyLake(lake: LakeStatus): HTMLElement {
  const flag = `--lake ${shellQuoted(lake.lake)}`;
  const command = (text: string, what: string): HTMLElement =>
    element('li', {}, element('code', {}, text), element('span', { class: 'muted' }, what));
  return element(
    'section',
    { class: 'empty-state card', 'data-state': lake.state },
    element('h2', {}, lake.state === 'missing' ? 'There is no lake here yet' : 'This lake has no data yet'),
    element(
      'p',
      {},
      `${lake.lake} ${lake.state === 'missing' ? 'does not exist yet' : 'holds no events'}. Fill it with any of these; ` +
        'this page shows the data as soon as it lands.',
    ),
    element(
      'ul',
      { class: 'commands' },
      command(`npx engagement-db demo ${flag}`, '14 days of demo activity of every channel'),
      command(`npx engagement-db ingest ${flag} events.jsonl`, 'your own exported events, one JSON per line'),
      command(
        `npx engagement-db serve ${flag}`,
        'a Firehose endpoint your application or the AWS SDK sends to',
      ),
    ),
  );
}

function brokenLake(lake: LakeStatus): HTMLElement {
  return element(
    'section',
    { class: 'empty-state card broken', 'data-state': 'broken' },
    element('h2', {}, 'The lake cannot be read'),
    element('pre', { class: 'error-text' }, lake.message ?? 'unknown error'),
    element(
      'p',
      {},
      'Check the folder given with --lake (or $ENGAGEMENT_DB_LAKE). ',
      element('code', {}, `npx engagement-db query --lake ${shellQuoted(lake.lake)} "SELECT 1"`),
      ' shows the same error; the page retries every few seconds.',
    ),
  );
}

function shellQuoted(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

start();
