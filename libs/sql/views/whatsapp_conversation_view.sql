-- One row per WhatsApp conversation (conversation_id, sending and destination numbers): how many
-- messages the business sent in it, when it was first ingested, when its first and last messages were
-- first seen, the time between them in seconds and in minutes, and the conversation's origin type.
SELECT
  conversation_id,
  count(*) AS total_messages,
  min(ingest_timestamp) AS ingest_timestamp,
  min(message_timestamp) AS first_message_timestamp,
  max(message_timestamp) AS last_message_timestamp,
  date_diff('second', min(message_timestamp), max(message_timestamp)) AS conversation_duration_seconds,
  date_diff('millisecond', min(message_timestamp), max(message_timestamp)) / 60000e0 AS conversation_duration_minutes,
  sending_address,
  destination_address,
  max(origin_type) AS origin_type
FROM "engagementdb-glue-db"."whatsapp_message_status"
WHERE conversation_id IS NOT NULL
GROUP BY conversation_id, sending_address, destination_address
