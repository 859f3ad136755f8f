import type { Dashboard } from '@engagement-db/dashboards';
import type { ViewColumns } from '@engagement-db/dashboards';

/** A column of a QuickSight dataset over a view: its name and the view's Athena type. */
export interface DatasetColumn {
  readonly name: string;
  /** The Athena type (`varchar`, `bigint`, `double`, `date`, `timestamp`, ...). */
  readonly type: string;
}

/** What QuickSight calls the Athena types the views have; a map column has no QuickSight type. */
const quickSightTypes: Readonly<Record<string, string>> = {
  varchar: 'STRING',
  bigint: 'INTEGER',
  integer: 'INTEGER',
  smallint: 'INTEGER',
  tinyint: 'INTEGER',
  double: 'DECIMAL',
  real: 'DECIMAL',
  boolean: 'BOOLEAN',
  date: 'DATETIME',
  timestamp: 'DATETIME',
};

/**
 * The QuickSight input column type of an Athena type, or undefined for a type QuickSight cannot read
 * from Athena (the `map(varchar,varchar)` tags of the message views), which a dataset leaves out.
 *
 * @example quickSightTypeOf('bigint') // 'INTEGER'
 */
export function quickSightTypeOf(athenaType: string): string | undefined {
  return quickSightTypes[athenaType] ?? (athenaType.startsWith('decimal(') ? 'DECIMAL' : undefined);
}

/** The kinds of column a field may read, by the Athena type. */
export const ColumnKind = { number: 'number', text: 'text', time: 'time', other: 'other' } as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** @example columnKindOf('timestamp') // 'time' */
export function columnKindOf(athenaType: string): ColumnKind {
  const type = quickSightTypeOf(athenaType);
  if (type === 'INTEGER' || type === 'DECIMAL') return ColumnKind.number;
  if (type === 'STRING') return ColumnKind.text;
  if (type === 'DATETIME') return ColumnKind.time;
  return ColumnKind.other;
}

/**
 * The columns of each dataset of a dashboard that QuickSight can read, by dataset id, from the views'
 * columns (`analyticsViews`). A dataset whose view is missing has no entry.
 *
 * @example datasetColumnsOf(engagementDashboard, analyticsViews).get('email-rates')?.[0] // { name: 'message_date', type: 'date' }
 */
export function datasetColumnsOf(
  dashboard: Dashboard,
  views: readonly ViewColumns[],
): Map<string, readonly DatasetColumn[]> {
  const columns = new Map<string, readonly DatasetColumn[]>();
  for (const dataset of dashboard.datasets) {
    const view = views.find((candidate) => candidate.name === dataset.view);
    if (view)
      columns.set(
        dataset.id,
        view.columns.filter((column) => quickSightTypeOf(column.type)),
      );
  }
  return columns;
}
