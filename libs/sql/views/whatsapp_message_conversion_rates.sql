-- One row per sending number, day the messages were first seen and hour they were first ingested: how
-- many WhatsApp messages the business sent, how many were accepted, sent, delivered, read and failed,
-- and the rates between those steps. A later status implies the earlier ones (a message that was read
-- was delivered and sent, even when those statuses never arrived), so no rate exceeds 1; failures are
-- rated against the messages that were sent or failed.
WITH totals AS (
  SELECT
    sending_address,
    CAST(message_timestamp AS DATE) AS message_date,
    ingest_timestamp,
    count(*) AS total_messages,
    count_if(coalesce(accepted_timestamp, sent_timestamp, delivered_timestamp, read_timestamp) IS NOT NULL) AS accepted_count,
    count_if(coalesce(sent_timestamp, delivered_timestamp, read_timestamp) IS NOT NULL) AS sent_count,
    count_if(coalesce(delivered_timestamp, read_timestamp) IS NOT NULL) AS delivered_count,
    count_if(read_timestamp IS NOT NULL) AS read_count,
    count_if(failed_timestamp IS NOT NULL) AS failed_count,
    count_if(coalesce(sent_timestamp, delivered_timestamp, read_timestamp, failed_timestamp) IS NOT NULL) AS sent_or_failed_count
  FROM "engagementdb-glue-db"."whatsapp_message_status"
  GROUP BY sending_address, CAST(message_timestamp AS DATE), ingest_timestamp
)
SELECT
  sending_address,
  message_date,
  ingest_timestamp,
  total_messages,
  accepted_count,
  sent_count,
  delivered_count,
  read_count,
  failed_count,
  round(CASE WHEN accepted_count = 0 THEN 0e0 ELSE CAST(sent_count AS DOUBLE) / accepted_count END, 3) AS accepted_to_sent_rate,
  round(CASE WHEN sent_count = 0 THEN 0e0 ELSE CAST(delivered_count AS DOUBLE) / sent_count END, 3) AS sent_to_delivered_rate,
  round(CASE WHEN delivered_count = 0 THEN 0e0 ELSE CAST(read_count AS DOUBLE) / delivered_count END, 3) AS delivered_to_read_rate,
  round(CASE WHEN sent_or_failed_count = 0 THEN 0e0 ELSE CAST(failed_count AS DOUBLE) / sent_or_failed_count END, 3) AS sent_to_failed_rate
FROM totals
