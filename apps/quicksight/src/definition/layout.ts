import type { CfnDashboard } from 'aws-cdk-lib/aws-quicksight';
import { VisualWidth } from '@engagement-db/dashboards';

/** QuickSight's grid is 36 columns wide. */
const gridColumns = 36;
/** Six KPIs a row. */
const kpiSize = { columnSpan: 6, rowSpan: 4 } as const;
const chartRows = 12;

/** A visual to place: its id and how wide it is (KPIs are a sixth of the width). */
export interface LayoutItem {
  readonly visualId: string;
  readonly width: VisualWidth | 'kpi';
}

/**
 * The grid layout of a sheet: its items left to right, then down, in their order; KPIs six a row,
 * half-width charts two a row, full-width charts and tables a row each.
 *
 * @example gridLayoutOf([{ visualId: 'email-emails-sent', width: 'kpi' }]).elements
 */
export function gridLayoutOf(items: readonly LayoutItem[]): CfnDashboard.GridLayoutConfigurationProperty {
  const elements: CfnDashboard.GridLayoutElementProperty[] = [];
  let column = 0;
  let row = 0;
  let rowHeight = 0;
  for (const item of items) {
    const size =
      item.width === 'kpi'
        ? kpiSize
        : { columnSpan: item.width === VisualWidth.full ? gridColumns : gridColumns / 2, rowSpan: chartRows };
    // A new row when the item does not fit, or when KPIs give way to charts.
    const previous = elements.at(-1);
    if (
      column + size.columnSpan > gridColumns ||
      (previous && previous.rowSpan !== size.rowSpan && column > 0)
    ) {
      row += rowHeight;
      column = 0;
      rowHeight = 0;
    }
    elements.push({
      elementId: item.visualId,
      elementType: 'VISUAL',
      columnIndex: column,
      columnSpan: size.columnSpan,
      rowIndex: row,
      rowSpan: size.rowSpan,
    });
    column += size.columnSpan;
    rowHeight = Math.max(rowHeight, size.rowSpan);
  }
  return {
    elements,
    canvasSizeOptions: {
      screenCanvasSizeOptions: { resizeOption: 'FIXED', optimizedViewPortWidth: '1600px' },
    },
  };
}
