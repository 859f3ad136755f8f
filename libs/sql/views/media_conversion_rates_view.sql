-- One row per day the messages were first seen, destination country, message type, sending number
-- and hour they were first ingested: how many messages there were, how many succeeded (delivered or
-- successful) and their share, their total price, carrier fees, cost (price plus fees) and average
-- number of parts.
SELECT
  CAST(message_timestamp AS DATE) AS message_date,
  iso_country_code,
  type,
  sending_address,
  ingest_timestamp,
  count(*) AS total_messages,
  count_if(message_status = 'success') AS successful_messages,
  round(CAST(count_if(message_status = 'success') AS DOUBLE) / count(*), 3) AS success_rate_percentage,
  round(sum(message_price), 4) AS total_message_price,
  round(sum(carrier_fee), 4) AS total_carrier_fee,
  round(sum(total_price), 4) AS total_cost,
  round(avg(message_parts), 2) AS avg_message_parts
FROM "engagementdb-glue-db"."media_message_status"
GROUP BY CAST(message_timestamp AS DATE), iso_country_code, type, sending_address, ingest_timestamp
