-- One row per email message and recipient (messageid, sendingaddress and the first destination as
-- destinationaddress): when it was first seen, sent, delivered, bounced, complained about, rejected,
-- delayed and opened or clicked (last time, and how often), the bounce and complaint types, the latest
-- status (Bounce, else Complaint, else Delivery, else Reject, else Send), the recipient's ISP, the
-- sending domain, subject, source IP and TLS version, configuration set and campaign.
WITH messages AS (
  SELECT
    messageid,
    sendingaddress,
    element_at(destinationaddress, 1) AS destinationaddress,
    min(ingest_timestamp) AS ingest_timestamp,
    min("timestamp") AS first_event_at,
    max(CASE WHEN type = 'Send' THEN "timestamp" END) AS sent_at,
    max(CASE WHEN type = 'Delivery' THEN "timestamp" END) AS delivered_at,
    max(CASE WHEN type = 'Bounce' THEN "timestamp" END) AS bounced_at,
    max(CASE WHEN type = 'Complaint' THEN "timestamp" END) AS complained_at,
    max(CASE WHEN type = 'Reject' THEN "timestamp" END) AS rejected_at,
    max(CASE WHEN type = 'Rendering Failure' THEN "timestamp" END) AS rendering_failed_at,
    max(CASE WHEN type = 'DeliveryDelay' THEN "timestamp" END) AS delayed_at,
    max(CASE WHEN type = 'Subscription' THEN "timestamp" END) AS subscription_at,
    max(CASE WHEN type = 'Open' THEN "timestamp" END) AS last_open_at,
    -- Firehose delivers at least once: an event counts once per eventid.
    count(DISTINCT CASE WHEN type = 'Open' THEN eventid END) AS open_count,
    max(CASE WHEN type = 'Click' THEN "timestamp" END) AS last_click_at,
    count(DISTINCT CASE WHEN type = 'Click' THEN eventid END) AS click_count,
    max_by(element_at(channeldata, 'link'), CASE WHEN type = 'Click' THEN "timestamp" END) AS last_clicked_link,
    max(element_at(channeldata, 'bouncetype')) AS bouncetype,
    max(element_at(channeldata, 'bouncesubtype')) AS bouncesubtype,
    max(element_at(channeldata, 'complaintfeedbacktype')) AS complaintfeedbacktype,
    max(element_at(channeldata, 'subject')) AS subject,
    max(element_at(tags, 'ses:source-ip')) AS source_ip,
    max(element_at(tags, 'ses:source-tls-version')) AS source_tls_version,
    max(element_at(tags, 'ses:configuration-set')) AS configuration_set,
    max(element_at(tags, 'campaign')) AS campaign,
    lower(regexp_extract(element_at(destinationaddress, 1), '@([A-Za-z0-9.-]+)', 1)) AS recipient_domain,
    lower(regexp_extract(sendingaddress, '@([A-Za-z0-9.-]+)', 1)) AS sender_domain
  FROM "engagementdb-glue-db"."engagementdb-events-table"
  WHERE channel = 'email'
  GROUP BY messageid, sendingaddress, element_at(destinationaddress, 1)
)
SELECT
  messageid,
  sendingaddress,
  destinationaddress,
  ingest_timestamp,
  date_add('millisecond', first_event_at, TIMESTAMP '1970-01-01 00:00:00.000') AS message_timestamp,
  date_add('millisecond', sent_at, TIMESTAMP '1970-01-01 00:00:00.000') AS send_timestamp,
  date_add('millisecond', delivered_at, TIMESTAMP '1970-01-01 00:00:00.000') AS delivery_timestamp,
  date_add('millisecond', bounced_at, TIMESTAMP '1970-01-01 00:00:00.000') AS bounce_timestamp,
  date_add('millisecond', complained_at, TIMESTAMP '1970-01-01 00:00:00.000') AS complaint_timestamp,
  date_add('millisecond', rejected_at, TIMESTAMP '1970-01-01 00:00:00.000') AS reject_timestamp,
  date_add('millisecond', rendering_failed_at, TIMESTAMP '1970-01-01 00:00:00.000') AS rendering_failure_timestamp,
  date_add('millisecond', delayed_at, TIMESTAMP '1970-01-01 00:00:00.000') AS delivery_delay_timestamp,
  date_add('millisecond', subscription_at, TIMESTAMP '1970-01-01 00:00:00.000') AS subscription_timestamp,
  date_add('millisecond', last_open_at, TIMESTAMP '1970-01-01 00:00:00.000') AS last_open_timestamp,
  open_count,
  date_add('millisecond', last_click_at, TIMESTAMP '1970-01-01 00:00:00.000') AS last_click_timestamp,
  click_count,
  last_clicked_link,
  bouncetype,
  bouncesubtype,
  complaintfeedbacktype,
  CASE
    WHEN bounced_at IS NOT NULL THEN 'Bounce'
    WHEN complained_at IS NOT NULL THEN 'Complaint'
    WHEN delivered_at IS NOT NULL THEN 'Delivery'
    WHEN rejected_at IS NOT NULL THEN 'Reject'
    WHEN sent_at IS NOT NULL THEN 'Send'
  END AS last_status,
  CASE recipient_domain
    WHEN 'gmail.com' THEN 'gmail'
    WHEN 'yahoo.com' THEN 'yahoo'
    ELSE recipient_domain
  END AS isp,
  coalesce(sender_domain, 'none') AS sending_domain,
  subject,
  source_ip,
  source_tls_version,
  coalesce(configuration_set, 'none') AS configuration_set,
  coalesce(campaign, 'none') AS campaign
FROM messages
