-- One row per WhatsApp message the business sent (messageid, sending and destination numbers): when it
-- was first seen and when it was accepted, sent, delivered, read and failed (NULL for a status that
-- never arrived), its biz_opaque_callback_data, the error code of a failure, and its conversation and
-- the conversation's origin type.
SELECT
  messageid,
  sendingaddress AS sending_address,
  element_at(destinationaddress, 1) AS destination_address,
  min(ingest_timestamp) AS ingest_timestamp,
  date_add('millisecond', min("timestamp"), TIMESTAMP '1970-01-01 00:00:00.000') AS message_timestamp,
  date_add('millisecond', max(CASE WHEN status = 'accepted' THEN "timestamp" END), TIMESTAMP '1970-01-01 00:00:00.000') AS accepted_timestamp,
  date_add('millisecond', max(CASE WHEN status = 'sent' THEN "timestamp" END), TIMESTAMP '1970-01-01 00:00:00.000') AS sent_timestamp,
  date_add('millisecond', max(CASE WHEN status = 'delivered' THEN "timestamp" END), TIMESTAMP '1970-01-01 00:00:00.000') AS delivered_timestamp,
  date_add('millisecond', max(CASE WHEN status = 'read' THEN "timestamp" END), TIMESTAMP '1970-01-01 00:00:00.000') AS read_timestamp,
  date_add('millisecond', max(CASE WHEN status = 'failed' THEN "timestamp" END), TIMESTAMP '1970-01-01 00:00:00.000') AS failed_timestamp,
  max(element_at(channeldata, 'biz_opaque_callback_data')) AS biz_opaque,
  max(statuscode) AS status_code,
  max(element_at(channeldata, 'conversationid')) AS conversation_id,
  max(element_at(channeldata, 'conversationtype')) AS origin_type
FROM "engagementdb-glue-db"."engagementdb-events-table"
WHERE channel = 'whatsapp' AND type = 'messageStatus' AND messageid IS NOT NULL
GROUP BY messageid, sendingaddress, element_at(destinationaddress, 1)
