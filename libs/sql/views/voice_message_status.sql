-- One row per voice message (call): its country, type, price, call duration in seconds and total
-- price, the numbers and carrier, when each kind of event last happened (voice_initiated, ...), the
-- context tags, when it was first seen, and its latest status: the messageStatus and description of
-- the latest event, and message_status success (ANSWERED, COMPLETED), pending (INITIATED, RINGING),
-- failed (BUSY, NO_ANSWER, TTL_EXPIRED, FAILED) or unknown.
WITH events AS (
  SELECT
    messageid,
    element_at(destinationaddress, 1) AS destination_address,
    sendingaddress AS sending_address,
    isocountrycode,
    type,
    status,
    statuscode,
    statusmessage,
    channeldata,
    tags,
    ingest_timestamp,
    "timestamp",
    -- The latest event by timestamp; on a tie, a final event wins over a non-final one.
    "timestamp" * 2 + CASE WHEN element_at(channeldata, 'isfinal') = 'true' THEN 1 ELSE 0 END AS recency
  FROM "engagementdb-glue-db"."engagementdb-events-table"
  WHERE channel = 'voice'
), messages AS (
  SELECT
    messageid,
    destination_address,
    sending_address,
    max(isocountrycode) AS iso_country_code,
    max(type) AS type,
    max(try_cast(element_at(channeldata, 'totalmessageprice') AS DOUBLE)) AS message_price,
    max(try_cast(element_at(channeldata, 'calldurationinseconds') AS INTEGER)) AS call_duration,
    max(element_at(channeldata, 'carriername')) AS carrier_name,
    max(CASE WHEN status = 'VOICE_INITIATED' THEN "timestamp" END) AS voice_initiated_at,
    max(CASE WHEN status = 'VOICE_RINGING' THEN "timestamp" END) AS voice_ringing_at,
    max(CASE WHEN status = 'VOICE_ANSWERED' THEN "timestamp" END) AS voice_answered_at,
    max(CASE WHEN status = 'VOICE_COMPLETED' THEN "timestamp" END) AS voice_completed_at,
    max(CASE WHEN status = 'VOICE_BUSY' THEN "timestamp" END) AS voice_busy_at,
    max(CASE WHEN status = 'VOICE_NO_ANSWER' THEN "timestamp" END) AS voice_no_answer_at,
    max(CASE WHEN status = 'VOICE_TTL_EXPIRED' THEN "timestamp" END) AS voice_ttl_expired_at,
    max(CASE WHEN status = 'VOICE_FAILED' THEN "timestamp" END) AS voice_failed_at,
    arbitrary(tags) AS context,
    min(ingest_timestamp) AS ingest_timestamp,
    min("timestamp") AS first_event_at,
    max_by(statuscode, recency) AS last_status,
    max_by(statusmessage, recency) AS status_description,
    max_by(status, recency) AS last_event_type
  FROM events
  GROUP BY messageid, destination_address, sending_address
)
SELECT
  messageid,
  iso_country_code,
  type,
  message_price,
  call_duration,
  round(message_price, 5) AS total_price,
  destination_address,
  sending_address,
  carrier_name,
  date_add('millisecond', voice_initiated_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_initiated,
  date_add('millisecond', voice_ringing_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_ringing,
  date_add('millisecond', voice_answered_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_answered,
  date_add('millisecond', voice_completed_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_completed,
  date_add('millisecond', voice_busy_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_busy,
  date_add('millisecond', voice_no_answer_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_no_answer,
  date_add('millisecond', voice_ttl_expired_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_ttl_expired,
  date_add('millisecond', voice_failed_at, TIMESTAMP '1970-01-01 00:00:00.000') AS voice_failed,
  context,
  ingest_timestamp,
  date_add('millisecond', first_event_at, TIMESTAMP '1970-01-01 00:00:00.000') AS message_timestamp,
  last_status,
  status_description,
  CASE
    WHEN last_event_type IN ('VOICE_ANSWERED', 'VOICE_COMPLETED') THEN 'success'
    WHEN last_event_type IN ('VOICE_INITIATED', 'VOICE_RINGING') THEN 'pending'
    WHEN last_event_type IN (
      'VOICE_BUSY',
      'VOICE_NO_ANSWER',
      'VOICE_TTL_EXPIRED',
      'VOICE_FAILED'
    ) THEN 'failed'
    ELSE 'unknown'
  END AS message_status
FROM messages
