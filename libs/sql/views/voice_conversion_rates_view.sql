-- One row per day the calls were first seen, destination country, sending number and hour they were
-- first ingested: how many calls there were, how many succeeded (answered or completed) and their
-- share, their total price and average duration in seconds.
SELECT
  CAST(message_timestamp AS DATE) AS message_date,
  iso_country_code,
  sending_address,
  ingest_timestamp,
  count(*) AS total_messages,
  count_if(message_status = 'success') AS successful_messages,
  round(CAST(count_if(message_status = 'success') AS DOUBLE) / count(*), 3) AS success_rate_percentage,
  round(sum(message_price), 4) AS total_message_price,
  round(avg(call_duration), 2) AS avg_call_duration
FROM "engagementdb-glue-db"."voice_message_status"
GROUP BY CAST(message_timestamp AS DATE), iso_country_code, sending_address, ingest_timestamp
