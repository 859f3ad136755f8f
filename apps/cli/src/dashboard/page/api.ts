import type { FilterSelection } from '@engagement-db/dashboards';
import type { LakeStatus, SheetRows } from '../dashboard-api';

export type { LakeStatus, SheetRows, VisualRows } from '../dashboard-api';

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
