import { datasetsOf, engagementDashboard } from '@engagement-db/dashboards';
import { analyticsViews } from '@engagement-db/sql';
import { sheetQuery } from './sheet-query';

/** How often the statement reads each analytics view, by name. */
function viewReads(sql: string): Record<string, number> {
  const reads: Record<string, number> = {};
  for (const view of analyticsViews) {
    const count = sql.split(`"engagementdb-glue-db"."${view.name}"`).length - 1;
    if (count > 0) reads[view.name] = count;
  }
  return reads;
}

describe('sheetQuery', () => {
  it.each(engagementDashboard.sheets.map((sheet) => sheet.id))(
    'reads only the base view of the %s sheet, once: the views over it are computed from its table',
    (sheetId) => {
      const query = sheetQuery(engagementDashboard, sheetId, {});
      if (!query.ok) throw new Error(query.error.message);
      const sheet = engagementDashboard.sheets.find((s) => s.id === sheetId)!;
      const sheetViews = new Set(
        datasetsOf(sheet).map((id) => engagementDashboard.datasets.find((d) => d.id === id)!.view),
      );
      const bases = [...sheetViews].filter((name) =>
        analyticsViews.some((view) => sheetViews.has(view.name) && view.dependsOn.includes(name)),
      );

      expect(bases).toHaveLength(1);
      expect(viewReads(query.value.sql)).toEqual({ [bases[0]]: 1 });
    },
  );

  it('binds filter values as parameters, never in the statement', () => {
    const value = "US' OR 1=1 --";
    const query = sheetQuery(engagementDashboard, 'sms', { country: [value] });

    expect(query.ok && query.value.sql.includes(value)).toBe(false);
    expect(query.ok && query.value.parameters).toContain(value);
  });
});
