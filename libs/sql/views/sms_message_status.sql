-- One row per SMS message: its country, type, price, carrier fee, parts and total price (price plus
-- fee), the numbers and carrier, when each kind of event last happened (text_delivered, ...), the
-- context tags, when it was first seen, and its latest status: the messageStatus and description of
-- the latest event, and message_status success (DELIVERED, SUCCESSFUL), pending (QUEUED, PENDING),
-- failed (every other final event type) or unknown.
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
  WHERE channel = 'text'
), messages AS (
  SELECT
    messageid,
    destination_address,
    sending_address,
    max(isocountrycode) AS iso_country_code,
    max(type) AS type,
    max(try_cast(element_at(channeldata, 'totalmessageprice') AS DOUBLE)) AS message_price,
    max(try_cast(element_at(channeldata, 'totalcarrierfee') AS DOUBLE)) AS carrier_fee,
    max(try_cast(element_at(channeldata, 'totalmessageparts') AS INTEGER)) AS message_parts,
    max(element_at(channeldata, 'carriername')) AS carrier_name,
    max(CASE WHEN status = 'TEXT_DELIVERED' THEN "timestamp" END) AS text_delivered_at,
    max(CASE WHEN status = 'TEXT_SUCCESSFUL' THEN "timestamp" END) AS text_successful_at,
    max(CASE WHEN status = 'TEXT_QUEUED' THEN "timestamp" END) AS text_queued_at,
    max(CASE WHEN status = 'TEXT_PENDING' THEN "timestamp" END) AS text_pending_at,
    max(CASE WHEN status = 'TEXT_BLOCKED' THEN "timestamp" END) AS text_blocked_at,
    max(CASE WHEN status = 'TEXT_TTL_EXPIRED' THEN "timestamp" END) AS text_ttl_expired_at,
    max(CASE WHEN status = 'TEXT_CARRIER_UNREACHABLE' THEN "timestamp" END) AS text_carrier_unreachable_at,
    max(CASE WHEN status = 'TEXT_INVALID' THEN "timestamp" END) AS text_invalid_at,
    max(CASE WHEN status = 'TEXT_INVALID_MESSAGE' THEN "timestamp" END) AS text_invalid_message_at,
    max(CASE WHEN status = 'TEXT_CARRIER_BLOCKED' THEN "timestamp" END) AS text_carrier_blocked_at,
    max(CASE WHEN status = 'TEXT_UNREACHABLE' THEN "timestamp" END) AS text_unreachable_at,
    max(CASE WHEN status = 'TEXT_SPAM' THEN "timestamp" END) AS text_spam_at,
    max(CASE WHEN status = 'TEXT_UNKNOWN' THEN "timestamp" END) AS text_unknown_at,
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
  carrier_fee,
  message_parts,
  round(message_price + coalesce(carrier_fee, 0e0), 5) AS total_price,
  destination_address,
  sending_address,
  carrier_name,
  date_add('millisecond', text_delivered_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_delivered,
  date_add('millisecond', text_successful_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_successful,
  date_add('millisecond', text_queued_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_queued,
  date_add('millisecond', text_pending_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_pending,
  date_add('millisecond', text_blocked_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_blocked,
  date_add('millisecond', text_ttl_expired_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_ttl_expired,
  date_add('millisecond', text_carrier_unreachable_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_carrier_unreachable,
  date_add('millisecond', text_invalid_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_invalid,
  date_add('millisecond', text_invalid_message_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_invalid_message,
  date_add('millisecond', text_carrier_blocked_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_carrier_blocked,
  date_add('millisecond', text_unreachable_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_unreachable,
  date_add('millisecond', text_spam_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_spam,
  date_add('millisecond', text_unknown_at, TIMESTAMP '1970-01-01 00:00:00.000') AS text_unknown,
  context,
  ingest_timestamp,
  date_add('millisecond', first_event_at, TIMESTAMP '1970-01-01 00:00:00.000') AS message_timestamp,
  last_status,
  status_description,
  CASE
    WHEN last_event_type IN ('TEXT_DELIVERED', 'TEXT_SUCCESSFUL') THEN 'success'
    WHEN last_event_type IN ('TEXT_QUEUED', 'TEXT_PENDING') THEN 'pending'
    WHEN last_event_type IN (
      'TEXT_BLOCKED',
      'TEXT_TTL_EXPIRED',
      'TEXT_CARRIER_UNREACHABLE',
      'TEXT_INVALID',
      'TEXT_INVALID_MESSAGE',
      'TEXT_CARRIER_BLOCKED',
      'TEXT_UNREACHABLE',
      'TEXT_SPAM',
      'TEXT_UNKNOWN'
    ) THEN 'failed'
    ELSE 'unknown'
  END AS message_status
FROM messages
