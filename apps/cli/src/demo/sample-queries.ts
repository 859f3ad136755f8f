/**
 * A query from the engagement database's documentation, run by `demo` to show the lake answers it.
 *
 * @example const query: SampleQuery = { title: 'All rows', sql: 'SELECT * FROM "engagementdb-events-table"' };
 */
export interface SampleQuery {
  readonly title: string;
  readonly sql: string;
  /** Rows shown: the last ones for long, time-ordered results. */
  readonly showLast?: number;
}

/**
 * Three of the documented sample Athena queries, verbatim: they run unchanged on the local lake.
 *
 * @example for (const q of demoSampleQueries) await engine.query(q.sql);
 */
export const demoSampleQueries: readonly SampleQuery[] = [
  {
    title: 'Count by message channel',
    sql: `SELECT channel, count(channel)
FROM "engagementdb-glue-db"."engagementdb-events-table" events
WHERE ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days, adjust as needed
GROUP BY 1
ORDER BY 2 desc`,
  },
  {
    title: 'SMS costs by country',
    sql: `SELECT 
    channeldata['isocountrycode'] AS country,
    SUM(CAST(channeldata['totalmessageprice'] AS DECIMAL(10,4))) AS total_sms_cost,
    SUM(COALESCE(CAST(channeldata['totalcarrierfee'] AS DECIMAL(10,4)), 0)) AS total_carrier_cost
FROM "engagementdb-glue-db"."engagementdb-events-table"
WHERE 
    channeldata['isocountrycode'] IS NOT NULL
    AND channeldata['totalmessageprice'] IS NOT NULL
    AND channel = 'text'  -- Assuming we only want SMS events
    AND ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days
GROUP BY channeldata['isocountrycode']
ORDER BY country`,
  },
  {
    title: 'Email performance by hour (last rows)',
    showLast: 6,
    sql: `SELECT 
    DATE_TRUNC('hour', ingest_timestamp) time_window,
    SUM(CASE WHEN status = 'Send' THEN 1 ELSE 0 END) AS sent_count,
    SUM(CASE WHEN status = 'Delivery' THEN 1 ELSE 0 END) AS delivered_count,
    SUM(CASE WHEN status = 'Bounce' THEN 1 ELSE 0 END) AS bounced_count,
    SUM(CASE WHEN status = 'Complaint' THEN 1 ELSE 0 END) AS complaint_count
FROM "engagementdb-events-table"
WHERE 
    channel = 'email'
    AND type IS NOT NULL
    AND ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days, adjust as needed
GROUP BY 1
ORDER BY 1`,
  },
];
