import type { FilterSelection } from '@engagement-db/dashboards';

/** What `GET /api/lake` answers: the lake's version and state. */
export interface LakeStatus {
  readonly lake: string;
  readonly version: string;
  readonly ingests: number;
  readonly state: 'missing' | 'empty' | 'ready' | 'broken';
  readonly rows?: { readonly events: number; readonly conversations: number };
  readonly message?: string;
}

/** The rows of one KPI, chart or table, as its query gives them. */
export interface VisualRows {
  readonly rows: readonly Record<string, unknown>[];
  /** Filters chosen that do not narrow this visual (its view has no such column). */
  readonly unappliedFilters: readonly string[];
}

/** What `POST /api/sheets/<sheet>` answers: everything the sheet shows. */
export interface SheetRows {
  readonly version: string;
  readonly visuals: Readonly<Record<string, VisualRows>>;
  readonly filters: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

/** A refusal or failure the server answered with. */
export class ApiError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The lake's version and state. */
export function fetchLakeStatus(): Promise<LakeStatus> {
  return request<LakeStatus>('/api/lake');
}

/** Everything a sheet shows under the filters chosen, and what its filters offer. */
export function fetchSheet(sheet: string, filters: FilterSelection): Promise<SheetRows> {
  return request<SheetRows>(`/api/sheets/${encodeURIComponent(sheet)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ filters }),
  });
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: 'no-store' });
  } catch (error) {
    throw new ApiError(
      'unreachable',
      `the dashboard server does not answer (${String(error)}); is it still running?`,
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    { error?: { kind?: string; message?: string } } | undefined;
  if (!response.ok) {
    throw new ApiError(
      body?.error?.kind ?? `http-${response.status}`,
      body?.error?.message ?? `the server answered ${response.status}`,
    );
  }
  return body as T;
}
