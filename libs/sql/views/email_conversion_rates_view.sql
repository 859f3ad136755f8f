-- One row per day the messages were first seen, recipient ISP, sending domain, campaign, configuration
-- set and hour they were first ingested: how many emails were sent, delivered, bounced, complained
-- about, opened and clicked, and the rates between them. An open counts as a delivery and a click as
-- an open (a recipient who clicked opened the message, even when the open pixel never loaded), so no
-- rate exceeds 1; bounces and complaints are rated against the emails sent.
WITH totals AS (
  SELECT
    CAST(message_timestamp AS DATE) AS message_date,
    isp,
    sending_domain,
    campaign,
    configuration_set,
    ingest_timestamp,
    count(*) AS total_emails_sent,
    count_if(delivery_timestamp IS NOT NULL OR open_count > 0 OR click_count > 0) AS total_deliveries,
    count_if(bounce_timestamp IS NOT NULL) AS total_bounces,
    count_if(complaint_timestamp IS NOT NULL) AS total_complaints,
    count_if(open_count > 0 OR click_count > 0) AS total_emails_opened,
    count_if(click_count > 0) AS total_emails_clicked
  FROM "engagementdb-glue-db"."email_message_status"
  GROUP BY CAST(message_timestamp AS DATE), isp, sending_domain, campaign, configuration_set, ingest_timestamp
)
SELECT
  message_date,
  isp,
  sending_domain,
  campaign,
  configuration_set,
  ingest_timestamp,
  total_emails_sent,
  total_deliveries,
  total_bounces,
  total_complaints,
  total_emails_opened,
  total_emails_clicked,
  round(CASE WHEN total_emails_sent = 0 THEN 0e0 ELSE CAST(total_deliveries AS DOUBLE) / total_emails_sent END, 2) AS delivery_rate,
  round(CASE WHEN total_deliveries = 0 THEN 0e0 ELSE CAST(total_emails_opened AS DOUBLE) / total_deliveries END, 2) AS open_rate,
  round(CASE WHEN total_emails_opened = 0 THEN 0e0 ELSE CAST(total_emails_clicked AS DOUBLE) / total_emails_opened END, 2) AS open_to_click_rate,
  round(CASE WHEN total_emails_sent = 0 THEN 0e0 ELSE CAST(total_bounces AS DOUBLE) / total_emails_sent END, 2) AS bounce_rate,
  round(CASE WHEN total_emails_sent = 0 THEN 0e0 ELSE CAST(total_complaints AS DOUBLE) / total_emails_sent END, 2) AS complaint_rate
FROM totals
