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

/**
 * The answer `demo` prints from an analytics view after the sample queries: how each email campaign
 * did, from `email_conversion_rates_view`.
 */
export const demoViewQuery: DemoQuery = {
  title: 'Email delivery and open rate by campaign (email_conversion_rates_view)',
  sql: `SELECT
    campaign,
    sum(total_emails_sent) AS sent,
    sum(total_deliveries) AS delivered,
    sum(total_emails_opened) AS opened,
    round(CAST(sum(total_deliveries) AS DOUBLE) / sum(total_emails_sent), 3) AS delivery_rate,
    round(CAST(sum(total_emails_opened) AS DOUBLE) / nullif(sum(total_deliveries), 0), 3) AS open_rate
FROM "engagementdb-glue-db"."email_conversion_rates_view"
GROUP BY campaign
ORDER BY sent DESC
`,
};
