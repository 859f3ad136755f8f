// What the dashboard's endpoints answer: shared by the server and the page (so no Node.js API in here).

/** Which data a lake holds, as cheaply as it can be told. */
export interface LakeVersion {
  /** Changes whenever an ingest commits (`ingest`, `serve`, `demo`); `none` for a lake without ingests. */
  readonly version: string;
  /** The committed ingests. */
  readonly ingests: number;
}

/** The rows of one KPI, chart or table (or a filter's options), as its query gives them. */
export interface VisualRows {
  readonly rows: readonly Record<string, unknown>[];
  /** Filters given a value that do not apply to the visual's dataset (it is not narrowed by them). */
  readonly unappliedFilters: readonly string[];
}

/** Everything a sheet shows under one filter selection, at one version of the lake. */
export interface SheetRows {
  /** The lake version the rows were computed at (see `lakeVersionOf`). */
  readonly version: string;
  /** By KPI, chart or table id. */
  readonly visuals: Readonly<Record<string, VisualRows>>;
  /** What each filter's control offers, by filter id: `value` rows, or one `from`/`to` row for the date range. */
  readonly filters: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** How long the sheet's statement took when it ran (later answers come from the cache): wall and CPU time. */
  readonly timing: { readonly wallMs: number; readonly cpuMs: number };
}

/** What the lake holds now, for the page's header, its empty state and its refresh. */
export interface LakeStatus extends LakeVersion {
  /** The lake folder. */
  readonly lake: string;
  /** `missing`: no folder yet; `empty`: no rows yet; `ready`: rows to show; `broken`: it cannot be read (see `message`). */
  readonly state: 'missing' | 'empty' | 'ready' | 'broken';
  /** Rows in each table, when the lake could be read. */
  readonly rows?: { readonly events: number; readonly conversations: number };
  /** What is wrong, for `missing` and `broken`. */
  readonly message?: string;
}
