/** A documented Athena query: its title and its SQL. */
export interface SampleQuery {
  readonly title: string;
  readonly sql: string;
}

/**
 * The sample Athena queries of the engagement database documentation, verbatim: they run unchanged on
 * Athena and on the local lake.
 *
 * @example await engine.query(sampleQueries.countByChannel.sql);
 */
export const sampleQueries = {
  troubleshootMessageId: {
    title: 'Troubleshooting a specific messageId',
    sql: `SELECT *
FROM "engagementdb-glue-db"."engagementdb-events-table" events
WHERE "messageid" = '01000193c01f592c-ad6098e1-7247-448b-9dce-5e4213584ab6-000000'
AND ingest_timestamp >= DATE_ADD('day', -7, CURRENT_TIMESTAMP) 
ORDER BY timestamp
`,
  },
  countByChannel: {
    title: 'Count by message channel',
    sql: `SELECT channel, count(channel)
FROM "engagementdb-glue-db"."engagementdb-events-table" events
WHERE ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days, adjust as needed
GROUP BY 1
ORDER BY 2 desc
`,
  },
  smsCostsByCountry: {
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
ORDER BY country
`,
  },
  smsCostsByAccount: {
    title: 'SMS Costs by AWS Account and Organization',
    sql: `SELECT 
    accountid,
    COALESCE(organizationid, 'unknown') AS organizationid,
    COUNT(*) AS total_messages,
    SUM(CAST(channeldata['totalmessageprice'] AS DECIMAL(10,4))) AS total_sms_cost,
    SUM(COALESCE(CAST(channeldata['totalcarrierfee'] AS DECIMAL(10,4)), 0)) AS total_carrier_cost
FROM "engagementdb-events-table"
WHERE 
    accountid IS NOT NULL
    AND channeldata['totalmessageprice'] IS NOT NULL
    AND channel = 'text'  -- Assuming we only want SMS events
    AND ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days
GROUP BY 
    accountid, 
    COALESCE(organizationid, 'unknown')
ORDER BY 
    accountid, 
    COALESCE(organizationid, 'unknown')
`,
  },
  emailSubjectLines: {
    title: 'All Subject Lines sent to an email address',
    sql: `SELECT 
    destinationaddress[1] AS email_address,
    channeldata['subject'] AS subject_line,
    timestamp AS sent_timestamp
FROM "engagementdb-events-table"
WHERE 
    channel = 'email'
    AND cardinality(destinationaddress) > 0
    AND channeldata['subject'] IS NOT NULL
    AND destinationaddress[1] = 'example@email.com'  -- Replace with the specific email address you're looking for
    AND ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days, adjust as needed
ORDER BY timestamp DESC
`,
  },
  emailPerformanceByHour: {
    title: 'Email Performance by hour',
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
ORDER BY 1
`,
  },
  whatsAppPerformanceByHour: {
    title: 'WhatsApp Performance by hour',
    sql: `SELECT 
    DATE_TRUNC('hour', ingest_timestamp) time_window,
    SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted_count,
    SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent_count,
    SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered_count,
    SUM(CASE WHEN status = 'read' THEN 1 ELSE 0 END) AS read_count,
    SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END) AS error_count
FROM "engagementdb-events-table"
WHERE 
    channel = 'whatsapp'
    AND type IS NOT NULL
    AND ingest_timestamp >= DATE_ADD('day', -30, CURRENT_TIMESTAMP)  -- Last 30 days, adjust as needed
GROUP BY 1
ORDER BY 1
`,
  },
} as const satisfies Record<string, SampleQuery>;
