import { type SampleQuery, sampleQueries } from '@engagement-db/sql';

/** A documented sample query as `demo` shows it: long, time-ordered results keep their last rows only. */
export interface DemoQuery extends SampleQuery {
  readonly showLast?: number;
}

/**
 * The three documented sample queries `demo` runs, verbatim, to show the lake answers them.
 *
 * @example for (const q of demoSampleQueries) await engine.query(q.sql);
 */
export const demoSampleQueries: readonly DemoQuery[] = [
  sampleQueries.countByChannel,
  sampleQueries.smsCostsByCountry,
  { ...sampleQueries.emailPerformanceByHour, showLast: 6 },
];
