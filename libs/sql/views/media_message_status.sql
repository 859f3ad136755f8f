-- One row per MMS message: its country, type, price, carrier fee, parts and total price (price plus
-- fee), the numbers and carrier, when each kind of event last happened (media_delivered, ...,
-- media_type_unsupported, media_size_exceeded, media_inaccessible), the context tags, when it was first
-- seen, and its latest status: the messageStatus and description of the latest event, and
-- message_status success (DELIVERED, SUCCESSFUL), pending (QUEUED, PENDING), failed (every other final
-- event type) or unknown.
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
  WHERE channel = 'media'
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
    max(CASE WHEN status = 'MEDIA_DELIVERED' THEN "timestamp" END) AS media_delivered_at,
    max(CASE WHEN status = 'MEDIA_SUCCESSFUL' THEN "timestamp" END) AS media_successful_at,
    max(CASE WHEN status = 'MEDIA_QUEUED' THEN "timestamp" END) AS media_queued_at,
    max(CASE WHEN status = 'MEDIA_PENDING' THEN "timestamp" END) AS media_pending_at,
    max(CASE WHEN status = 'MEDIA_BLOCKED' THEN "timestamp" END) AS media_blocked_at,
    max(CASE WHEN status = 'MEDIA_TTL_EXPIRED' THEN "timestamp" END) AS media_ttl_expired_at,
    max(CASE WHEN status = 'MEDIA_CARRIER_UNREACHABLE' THEN "timestamp" END) AS media_carrier_unreachable_at,
    max(CASE WHEN status = 'MEDIA_INVALID' THEN "timestamp" END) AS media_invalid_at,
    max(CASE WHEN status = 'MEDIA_INVALID_MESSAGE' THEN "timestamp" END) AS media_invalid_message_at,
    max(CASE WHEN status = 'MEDIA_CARRIER_BLOCKED' THEN "timestamp" END) AS media_carrier_blocked_at,
    max(CASE WHEN status = 'MEDIA_UNREACHABLE' THEN "timestamp" END) AS media_unreachable_at,
    max(CASE WHEN status = 'MEDIA_SPAM' THEN "timestamp" END) AS media_spam_at,
    max(CASE WHEN status = 'MEDIA_UNKNOWN' THEN "timestamp" END) AS media_unknown_at,
    max(CASE WHEN status = 'MEDIA_FILE_TYPE_UNSUPPORTED' THEN "timestamp" END) AS media_type_unsupported_at,
    max(CASE WHEN status = 'MEDIA_FILE_SIZE_EXCEEDED' THEN "timestamp" END) AS media_size_exceeded_at,
    max(CASE WHEN status = 'MEDIA_FILE_INACCESSIBLE' THEN "timestamp" END) AS media_inaccessible_at,
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
  date_add('millisecond', media_delivered_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_delivered,
  date_add('millisecond', media_successful_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_successful,
  date_add('millisecond', media_queued_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_queued,
  date_add('millisecond', media_pending_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_pending,
  date_add('millisecond', media_blocked_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_blocked,
  date_add('millisecond', media_ttl_expired_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_ttl_expired,
  date_add('millisecond', media_carrier_unreachable_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_carrier_unreachable,
  date_add('millisecond', media_invalid_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_invalid,
  date_add('millisecond', media_invalid_message_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_invalid_message,
  date_add('millisecond', media_carrier_blocked_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_carrier_blocked,
  date_add('millisecond', media_unreachable_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_unreachable,
  date_add('millisecond', media_spam_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_spam,
  date_add('millisecond', media_unknown_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_unknown,
  date_add('millisecond', media_type_unsupported_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_type_unsupported,
  date_add('millisecond', media_size_exceeded_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_size_exceeded,
  date_add('millisecond', media_inaccessible_at, TIMESTAMP '1970-01-01 00:00:00.000') AS media_inaccessible,
  context,
  ingest_timestamp,
  date_add('millisecond', first_event_at, TIMESTAMP '1970-01-01 00:00:00.000') AS message_timestamp,
  last_status,
  status_description,
  CASE
    WHEN last_event_type IN ('MEDIA_DELIVERED', 'MEDIA_SUCCESSFUL') THEN 'success'
    WHEN last_event_type IN ('MEDIA_QUEUED', 'MEDIA_PENDING') THEN 'pending'
    WHEN last_event_type IN (
      'MEDIA_BLOCKED',
      'MEDIA_TTL_EXPIRED',
      'MEDIA_CARRIER_UNREACHABLE',
      'MEDIA_INVALID',
      'MEDIA_INVALID_MESSAGE',
      'MEDIA_CARRIER_BLOCKED',
      'MEDIA_UNREACHABLE',
      'MEDIA_SPAM',
      'MEDIA_UNKNOWN',
      'MEDIA_FILE_TYPE_UNSUPPORTED',
      'MEDIA_FILE_SIZE_EXCEEDED',
      'MEDIA_FILE_INACCESSIBLE'
    ) THEN 'failed'
    ELSE 'unknown'
  END AS message_status
FROM messages
