import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type PhoneMessage,
  type SesMessage,
  type WhatsAppMessage,
  ingestRawEvents,
  phoneEvent,
  sesEvent,
  whatsappStatus,
} from '../test/raw-events';
import { makeTempFolder, removeTempFolder } from '../test/test-lake';
import { trinoSyntaxErrors } from '@engagement-db/sql/testing';
import { type QueryEngine, type QueryResult, analyticsViews, openQueryEngine } from './index';

// Every view over a lake made from raw events by the real mapper (default templates) and ingest. The
// expected rows are worked out by hand from the events below; every column a row does not name is NULL.

const t0 = Date.UTC(2025, 2, 14, 15, 0, 0, 0);
const second = 1000;
const minute = 60 * second;
const at = (offset: number) => t0 + offset;

const emailA: SesMessage = {
  messageId: 'email-a',
  sentAt: at(0),
  to: 'jane.doe@gmail.com',
  subject: 'Spring sale',
  campaign: 'spring-sale',
  configurationSet: 'marketing',
};
const emailB: SesMessage = {
  ...emailA,
  messageId: 'email-b',
  sentAt: at(1 * second),
  to: 'no-such-user@yahoo.com',
};
const emailC: SesMessage = {
  messageId: 'email-c',
  sentAt: at(5 * second),
  to: 'bob@example.net',
  subject: 'Receipt',
};
const emailD: SesMessage = { ...emailA, messageId: 'email-d', sentAt: at(8 * second), to: 'sam@gmail.com' };
const emailE: SesMessage = { ...emailA, messageId: 'email-e', sentAt: at(9 * second), to: 'ann@gmail.com' };
const link = 'https://www.example.com/sale?utm_campaign=spring-sale';
const deliveryOfA = sesEvent(emailA, 'Delivery', at(2 * second), {
  smtpResponse: '250 2.6.0 Message received',
});

const sms1: PhoneMessage = {
  messageId: 'sms-1',
  from: '+12065550152',
  to: '+14255550101',
  country: 'US',
  carrier: 'T-Mobile USA',
  campaign: 'spring-sale',
};
const sms2: PhoneMessage = {
  ...sms1,
  messageId: 'sms-2',
  to: '+14255550102',
  carrier: 'Verizon Wireless',
  campaign: undefined,
};
const smsPrice = { totalMessageParts: 1, totalMessagePrice: 0.00645, totalCarrierFee: 0.00302 };
const deliveredSms1 = phoneEvent(sms1, 'TEXT_DELIVERED', at(33 * second), {
  isFinal: true,
  messageStatusDescription: 'Message has been accepted by phone',
  ...smsPrice,
});
const mms1: PhoneMessage = {
  messageId: 'mms-1',
  from: '+18445550152',
  to: '+14255550104',
  country: 'US',
  carrier: 'Verizon Wireless',
};
const mms2: PhoneMessage = { ...mms1, messageId: 'mms-2', to: '+14255550105' };
const voice1: PhoneMessage = {
  messageId: 'voice-1',
  from: '+12065550199',
  to: '+14255550103',
  country: 'US',
};

const wa1: WhatsAppMessage = {
  messageId: 'wamid.1',
  to: '+16505550001',
  conversationId: 'conv-1',
  originType: 'marketing',
  bizOpaque: 'campaign=spring-sale',
};
const wa2: WhatsAppMessage = { messageId: 'wamid.2', to: '+16505550002' };
const conversation3 = { to: '+16505550003', conversationId: 'conv-3', originType: 'service' };

const rawEvents = [
  // Email A: sent, delivered (the delivery arrives twice, as Firehose may deliver it), opened twice, clicked.
  sesEvent(emailA, 'Send', at(0)),
  deliveryOfA,
  deliveryOfA,
  sesEvent(emailA, 'Open', at(10 * minute), { ipAddress: '203.0.113.47', userAgent: 'Mail' }),
  sesEvent(emailA, 'Open', at(70 * minute), { ipAddress: '203.0.113.47', userAgent: 'Mail' }),
  sesEvent(emailA, 'Click', at(71 * minute), { ipAddress: '203.0.113.47', userAgent: 'Mail', link }),
  // Email B bounced, with a type and a sub-type.
  sesEvent(emailB, 'Send', at(1 * second)),
  sesEvent(emailB, 'Bounce', at(3 * second), { bounceType: 'Permanent', bounceSubType: 'General' }),
  // Email C was delivered, then complained about.
  sesEvent(emailC, 'Send', at(5 * second)),
  sesEvent(emailC, 'Delivery', at(7 * second)),
  sesEvent(emailC, 'Complaint', at(20 * minute), { complaintFeedbackType: 'abuse' }),
  // Email D was clicked without its open ever arriving; email E was only delivered.
  sesEvent(emailD, 'Send', at(8 * second)),
  sesEvent(emailD, 'Delivery', at(9 * second)),
  sesEvent(emailD, 'Click', at(30 * minute), { ipAddress: '203.0.113.8', userAgent: 'Mail', link }),
  sesEvent(emailE, 'Send', at(9 * second)),
  sesEvent(emailE, 'Delivery', at(10 * second)),
  // SMS 1 pending, then delivered (its delivery also arrives twice).
  phoneEvent(sms1, 'TEXT_PENDING', at(30 * second), {
    isFinal: false,
    messageStatusDescription: 'Message is in process',
    ...smsPrice,
  }),
  deliveredSms1,
  deliveredSms1,
  // SMS 2 blocked; a pending event with the same timestamp arrives after it: the final event wins.
  phoneEvent(sms2, 'TEXT_BLOCKED', at(40 * second), {
    isFinal: true,
    messageStatusDescription: 'Destination phone number blocked',
    totalMessageParts: 2,
    totalMessagePrice: 0.00581,
    totalCarrierFee: 0.00302,
  }),
  phoneEvent(sms2, 'TEXT_PENDING', at(40 * second), {
    isFinal: false,
    messageStatusDescription: 'Message is in process',
    totalMessageParts: 2,
    totalMessagePrice: 0.00581,
    totalCarrierFee: 0.00302,
  }),
  // MMS 1 delivered; MMS 2 refused for its file type.
  phoneEvent(mms1, 'MEDIA_DELIVERED', at(60 * second), {
    isFinal: true,
    messageStatusDescription: 'Message has been accepted by phone',
    totalMessageParts: 1,
    totalMessagePrice: 0.0198,
    totalCarrierFee: 0.0025,
  }),
  phoneEvent(mms2, 'MEDIA_FILE_TYPE_UNSUPPORTED', at(61 * second), {
    isFinal: true,
    messageStatusDescription: 'The media file type is not supported',
    totalMessageParts: 1,
    totalMessagePrice: 0.0198,
    totalCarrierFee: 0,
  }),
  // A call initiated, then completed after 27 seconds.
  phoneEvent(voice1, 'VOICE_INITIATED', at(50 * second), {
    isFinal: false,
    messageStatusDescription: 'Call has been initiated',
  }),
  phoneEvent(voice1, 'VOICE_COMPLETED', at(85 * second), {
    isFinal: true,
    messageStatusDescription: 'Call has completed',
    callDurationInSeconds: 27,
    totalDurationInMinutes: 1,
    totalMessagePrice: 0.013,
  }),
  // WhatsApp 1 sent, then read: its delivered status never arrived.
  whatsappStatus(wa1, 'sent', at(100 * second)),
  whatsappStatus(wa1, 'read', at(400 * second)),
  // WhatsApp 2 failed.
  whatsappStatus(wa2, 'failed', at(110 * second), [{ code: 131047, title: 'Re-engagement message' }]),
  // A conversation of three messages, the first sent at +200 s and the last at +295 s.
  whatsappStatus({ ...conversation3, messageId: 'wamid.3a' }, 'sent', at(200 * second)),
  whatsappStatus({ ...conversation3, messageId: 'wamid.3b' }, 'sent', at(240 * second)),
  whatsappStatus({ ...conversation3, messageId: 'wamid.3b' }, 'delivered', at(250 * second)),
  whatsappStatus({ ...conversation3, messageId: 'wamid.3c' }, 'sent', at(295 * second)),
  whatsappStatus({ ...conversation3, messageId: 'wamid.3c' }, 'read', at(500 * second)),
];

/** A timestamp as the engine returns it, from a time relative to t0. */
const ts = (offset: number) => new Date(at(offset)).toISOString().replace('T', ' ').replace('Z', '');
const hour15 = '2025-03-14 15:00:00.000';
const day = '2025-03-14';

/** A row of a view with every column NULL but the given ones, so a comparison checks every column. */
function viewRow(viewName: string, values: Record<string, unknown>): Record<string, unknown> {
  const view = analyticsViews.find((v) => v.name === viewName);
  if (!view) throw new Error(`no view ${viewName}`);
  const unknown = Object.keys(values).filter((name) => !view.columns.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`${viewName} has no column ${unknown.join(', ')}`);
  return Object.fromEntries(view.columns.map((c) => [c.name, values[c.name] ?? null]));
}

function rowsOf(result: QueryResult): Record<string, unknown>[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.rows;
}

describe('analytics views on a lake built from raw events', () => {
  let lake: string;
  let engine: QueryEngine;
  const query = async (sql: string) => rowsOf(await engine.query(sql));

  beforeAll(async () => {
    lake = makeTempFolder('views');
    await ingestRawEvents(lake, rawEvents);
    engine = await openQueryEngine({ lake });
  });

  afterAll(() => {
    engine.close();
    removeTempFolder(lake);
  });

  it('keeps the duplicated deliveries in the lake, each under one eventid', async () => {
    const rows = await query(`
      SELECT status, count(*) AS copies FROM "engagementdb-events-table"
      WHERE messageid IN ('email-a', 'sms-1') AND status IN ('Delivery', 'TEXT_DELIVERED')
      GROUP BY status, eventid ORDER BY status`);
    expect(rows).toEqual([
      { status: 'Delivery', copies: 2 },
      { status: 'TEXT_DELIVERED', copies: 2 },
    ]);
  });

  it('email_message_status: one row per message and recipient, each event counted once', async () => {
    const rows = await query('SELECT * FROM email_message_status ORDER BY messageid');
    const common = {
      sendingaddress: 'Example Store <news@example.com>',
      ingest_timestamp: hour15,
      sending_domain: 'example.com',
      source_ip: '192.0.2.10',
      source_tls_version: 'TLSv1.3',
    };
    const springSale = {
      ...common,
      subject: 'Spring sale',
      configuration_set: 'marketing',
      campaign: 'spring-sale',
    };
    expect(rows).toEqual([
      viewRow('email_message_status', {
        ...springSale,
        messageid: 'email-a',
        destinationaddress: 'jane.doe@gmail.com',
        message_timestamp: ts(0),
        send_timestamp: ts(0),
        delivery_timestamp: ts(2 * second),
        last_open_timestamp: ts(70 * minute),
        open_count: 2,
        last_click_timestamp: ts(71 * minute),
        click_count: 1,
        last_clicked_link: link,
        last_status: 'Delivery',
        isp: 'gmail',
      }),
      viewRow('email_message_status', {
        ...springSale,
        messageid: 'email-b',
        destinationaddress: 'no-such-user@yahoo.com',
        message_timestamp: ts(1 * second),
        send_timestamp: ts(1 * second),
        bounce_timestamp: ts(3 * second),
        open_count: 0,
        click_count: 0,
        bouncetype: 'Permanent',
        bouncesubtype: 'General',
        last_status: 'Bounce',
        isp: 'yahoo',
      }),
      viewRow('email_message_status', {
        ...common,
        messageid: 'email-c',
        destinationaddress: 'bob@example.net',
        message_timestamp: ts(5 * second),
        send_timestamp: ts(5 * second),
        delivery_timestamp: ts(7 * second),
        complaint_timestamp: ts(20 * minute),
        open_count: 0,
        click_count: 0,
        complaintfeedbacktype: 'abuse',
        last_status: 'Complaint',
        isp: 'example.net',
        subject: 'Receipt',
        configuration_set: 'none',
        campaign: 'none',
      }),
      viewRow('email_message_status', {
        ...springSale,
        messageid: 'email-d',
        destinationaddress: 'sam@gmail.com',
        message_timestamp: ts(8 * second),
        send_timestamp: ts(8 * second),
        delivery_timestamp: ts(9 * second),
        open_count: 0,
        last_click_timestamp: ts(30 * minute),
        click_count: 1,
        last_clicked_link: link,
        last_status: 'Delivery',
        isp: 'gmail',
      }),
      viewRow('email_message_status', {
        ...springSale,
        messageid: 'email-e',
        destinationaddress: 'ann@gmail.com',
        message_timestamp: ts(9 * second),
        send_timestamp: ts(9 * second),
        delivery_timestamp: ts(10 * second),
        open_count: 0,
        click_count: 0,
        last_status: 'Delivery',
        isp: 'gmail',
      }),
    ]);
  });

  it('email_conversion_rates_view: a click implies an open, so no rate exceeds 1', async () => {
    const rows = await query('SELECT * FROM email_conversion_rates_view ORDER BY isp');
    const group = { message_date: day, sending_domain: 'example.com', ingest_timestamp: hour15 };
    const springSale = { ...group, campaign: 'spring-sale', configuration_set: 'marketing' };
    const noRates = { open_rate: 0, open_to_click_rate: 0, bounce_rate: 0, complaint_rate: 0 };
    expect(rows).toEqual([
      viewRow('email_conversion_rates_view', {
        ...group,
        isp: 'example.net',
        campaign: 'none',
        configuration_set: 'none',
        total_emails_sent: 1,
        total_deliveries: 1,
        total_bounces: 0,
        total_complaints: 1,
        total_emails_opened: 0,
        total_emails_clicked: 0,
        ...noRates,
        delivery_rate: 1,
        complaint_rate: 1,
      }),
      // A opened and clicked, D clicked (so opened), E was only delivered: 2 of 3 opened, both clicked.
      viewRow('email_conversion_rates_view', {
        ...springSale,
        isp: 'gmail',
        total_emails_sent: 3,
        total_deliveries: 3,
        total_bounces: 0,
        total_complaints: 0,
        total_emails_opened: 2,
        total_emails_clicked: 2,
        ...noRates,
        delivery_rate: 1,
        open_rate: 0.67,
        open_to_click_rate: 1,
      }),
      viewRow('email_conversion_rates_view', {
        ...springSale,
        isp: 'yahoo',
        total_emails_sent: 1,
        total_deliveries: 0,
        total_bounces: 1,
        total_complaints: 0,
        total_emails_opened: 0,
        total_emails_clicked: 0,
        ...noRates,
        delivery_rate: 0,
        bounce_rate: 1,
      }),
    ]);
  });

  it('sms_message_status: price plus fee, and the final event wins a timestamp tie', async () => {
    const rows = await query('SELECT * FROM sms_message_status ORDER BY messageid');
    const common = {
      iso_country_code: 'US',
      type: 'TRANSACTIONAL',
      sending_address: '+12065550152',
      ingest_timestamp: hour15,
    };
    expect(rows).toEqual([
      viewRow('sms_message_status', {
        ...common,
        messageid: 'sms-1',
        message_price: 0.00645,
        carrier_fee: 0.00302,
        message_parts: 1,
        total_price: 0.00947,
        destination_address: '+14255550101',
        carrier_name: 'T-Mobile USA',
        text_delivered: ts(33 * second),
        text_pending: ts(30 * second),
        context: { accountid: '111122223333', campaign: 'spring-sale' },
        message_timestamp: ts(30 * second),
        last_status: 'DELIVERED',
        status_description: 'Message has been accepted by phone',
        message_status: 'success',
      }),
      viewRow('sms_message_status', {
        ...common,
        messageid: 'sms-2',
        message_price: 0.00581,
        carrier_fee: 0.00302,
        message_parts: 2,
        total_price: 0.00883,
        destination_address: '+14255550102',
        carrier_name: 'Verizon Wireless',
        text_pending: ts(40 * second),
        text_blocked: ts(40 * second),
        context: { accountid: '111122223333' },
        message_timestamp: ts(40 * second),
        last_status: 'BLOCKED',
        status_description: 'Destination phone number blocked',
        message_status: 'failed',
      }),
    ]);
  });

  it('sms_conversion_rates_view: sums each message once', async () => {
    const rows = await query('SELECT * FROM sms_conversion_rates_view');
    expect(rows).toEqual([
      viewRow('sms_conversion_rates_view', {
        message_date: day,
        iso_country_code: 'US',
        type: 'TRANSACTIONAL',
        sending_address: '+12065550152',
        ingest_timestamp: hour15,
        total_messages: 2,
        successful_messages: 1,
        success_rate_percentage: 0.5,
        total_message_price: 0.0123, // 0.00645 + 0.00581 = 0.01226
        total_carrier_fee: 0.006, // 0.00302 + 0.00302 = 0.00604
        total_cost: 0.0183, // 0.00947 + 0.00883
        avg_message_parts: 1.5,
      }),
    ]);
  });

  it('media_message_status and media_conversion_rates_view', async () => {
    const status = await query('SELECT * FROM media_message_status ORDER BY messageid');
    const common = {
      iso_country_code: 'US',
      type: 'TRANSACTIONAL',
      message_price: 0.0198,
      message_parts: 1,
      sending_address: '+18445550152',
      carrier_name: 'Verizon Wireless',
      context: { accountid: '111122223333' },
      ingest_timestamp: hour15,
    };
    expect(status).toEqual([
      viewRow('media_message_status', {
        ...common,
        messageid: 'mms-1',
        carrier_fee: 0.0025,
        total_price: 0.0223,
        destination_address: '+14255550104',
        media_delivered: ts(60 * second),
        message_timestamp: ts(60 * second),
        last_status: 'DELIVERED',
        status_description: 'Message has been accepted by phone',
        message_status: 'success',
      }),
      viewRow('media_message_status', {
        ...common,
        messageid: 'mms-2',
        carrier_fee: 0,
        total_price: 0.0198,
        destination_address: '+14255550105',
        media_type_unsupported: ts(61 * second),
        message_timestamp: ts(61 * second),
        last_status: 'FILE_TYPE_UNSUPPORTED',
        status_description: 'The media file type is not supported',
        message_status: 'failed',
      }),
    ]);
    const rates = await query('SELECT * FROM media_conversion_rates_view');
    expect(rates).toEqual([
      viewRow('media_conversion_rates_view', {
        message_date: day,
        iso_country_code: 'US',
        type: 'TRANSACTIONAL',
        sending_address: '+18445550152',
        ingest_timestamp: hour15,
        total_messages: 2,
        successful_messages: 1,
        success_rate_percentage: 0.5,
        total_message_price: 0.0396,
        total_carrier_fee: 0.0025,
        total_cost: 0.0421,
        avg_message_parts: 1,
      }),
    ]);
  });

  it('voice_message_status and voice_conversion_rates_view: initiated, then completed after 27 s', async () => {
    const status = await query('SELECT * FROM voice_message_status');
    expect(status).toEqual([
      viewRow('voice_message_status', {
        messageid: 'voice-1',
        iso_country_code: 'US',
        type: 'TRANSACTIONAL',
        message_price: 0.013,
        call_duration: 27,
        total_price: 0.013,
        destination_address: '+14255550103',
        sending_address: '+12065550199',
        voice_initiated: ts(50 * second),
        voice_completed: ts(85 * second),
        context: { accountid: '111122223333' },
        ingest_timestamp: hour15,
        message_timestamp: ts(50 * second),
        last_status: 'COMPLETED',
        status_description: 'Call has completed',
        message_status: 'success',
      }),
    ]);
    const rates = await query('SELECT * FROM voice_conversion_rates_view');
    expect(rates).toEqual([
      viewRow('voice_conversion_rates_view', {
        message_date: day,
        iso_country_code: 'US',
        sending_address: '+12065550199',
        ingest_timestamp: hour15,
        total_messages: 1,
        successful_messages: 1,
        success_rate_percentage: 1,
        total_message_price: 0.013,
        avg_call_duration: 27,
      }),
    ]);
  });

  it('whatsapp_message_status: one row per message the business sent', async () => {
    const rows = await query('SELECT * FROM whatsapp_message_status ORDER BY messageid');
    const common = { sending_address: '15550783881', ingest_timestamp: hour15 };
    const inConversation3 = {
      ...common,
      destination_address: '+16505550003',
      conversation_id: 'conv-3',
      origin_type: 'service',
    };
    expect(rows).toEqual([
      viewRow('whatsapp_message_status', {
        ...common,
        messageid: 'wamid.1',
        destination_address: '+16505550001',
        message_timestamp: ts(100 * second),
        sent_timestamp: ts(100 * second),
        read_timestamp: ts(400 * second),
        biz_opaque: 'campaign=spring-sale',
        conversation_id: 'conv-1',
        origin_type: 'marketing',
      }),
      viewRow('whatsapp_message_status', {
        ...common,
        messageid: 'wamid.2',
        destination_address: '+16505550002',
        message_timestamp: ts(110 * second),
        failed_timestamp: ts(110 * second),
        status_code: '131047',
      }),
      viewRow('whatsapp_message_status', {
        ...inConversation3,
        messageid: 'wamid.3a',
        message_timestamp: ts(200 * second),
        sent_timestamp: ts(200 * second),
      }),
      viewRow('whatsapp_message_status', {
        ...inConversation3,
        messageid: 'wamid.3b',
        message_timestamp: ts(240 * second),
        sent_timestamp: ts(240 * second),
        delivered_timestamp: ts(250 * second),
      }),
      viewRow('whatsapp_message_status', {
        ...inConversation3,
        messageid: 'wamid.3c',
        message_timestamp: ts(295 * second),
        sent_timestamp: ts(295 * second),
        read_timestamp: ts(500 * second),
      }),
    ]);
  });

  it('whatsapp_conversation_view: three messages spanning 95 seconds', async () => {
    const rows = await query('SELECT * FROM whatsapp_conversation_view ORDER BY conversation_id');
    expect(rows).toEqual([
      viewRow('whatsapp_conversation_view', {
        conversation_id: 'conv-1',
        total_messages: 1,
        ingest_timestamp: hour15,
        first_message_timestamp: ts(100 * second),
        last_message_timestamp: ts(100 * second),
        conversation_duration_seconds: 0,
        conversation_duration_minutes: 0,
        sending_address: '15550783881',
        destination_address: '+16505550001',
        origin_type: 'marketing',
      }),
      viewRow('whatsapp_conversation_view', {
        conversation_id: 'conv-3',
        total_messages: 3,
        ingest_timestamp: hour15,
        first_message_timestamp: ts(200 * second),
        last_message_timestamp: ts(295 * second),
        conversation_duration_seconds: 95,
        conversation_duration_minutes: 95 / 60,
        sending_address: '15550783881',
        destination_address: '+16505550003',
        origin_type: 'service',
      }),
    ]);
  });

  it('whatsapp_message_conversion_rates: a read message was delivered and sent, so no rate exceeds 1', async () => {
    const rows = await query('SELECT * FROM whatsapp_message_conversion_rates');
    // Sent (or later): 1, 3a, 3b, 3c. Delivered (or read): 1, 3b, 3c. Read: 1, 3c. Failed: 2.
    expect(rows).toEqual([
      viewRow('whatsapp_message_conversion_rates', {
        sending_address: '15550783881',
        message_date: day,
        ingest_timestamp: hour15,
        total_messages: 5,
        accepted_count: 4,
        sent_count: 4,
        delivered_count: 3,
        read_count: 2,
        failed_count: 1,
        accepted_to_sent_rate: 1,
        sent_to_delivered_rate: 0.75,
        delivered_to_read_rate: 0.667,
        sent_to_failed_rate: 0.2,
      }),
    ]);
  });

  it.each(analyticsViews.map((view) => [view.name]))(
    '%s is filtered by ingest_timestamp, the hour its rows were first ingested',
    async (name) => {
      const all = await query(`SELECT count(*) AS n FROM "engagementdb-glue-db"."${name}"`);
      const inHour = await query(
        `SELECT count(*) AS n FROM "${name}" WHERE ingest_timestamp >= TIMESTAMP '2025-03-14 15:00:00' AND ingest_timestamp < TIMESTAMP '2025-03-14 16:00:00'`,
      );
      const later = await query(
        `SELECT count(*) AS n FROM "${name}" WHERE ingest_timestamp >= TIMESTAMP '2025-03-14 16:00:00'`,
      );
      expect(all[0].n).toBeGreaterThan(0);
      expect(inHour).toEqual(all);
      expect(later).toEqual([{ n: 0 }]);
    },
  );
});

describe('the example queries of the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Analytics views'), readme.indexOf('## Athena functions'));
  const examples = [...section.matchAll(/\*\*`(\w+)`\*\*[^\n]*\n\n```sql\n([\s\S]*?)```/g)].map(
    ([, name, sql]): [string, string] => [name, sql],
  );
  let lake: string;

  beforeAll(async () => {
    lake = makeTempFolder('view-examples');
    await ingestRawEvents(lake, rawEvents);
  });

  afterAll(() => removeTempFolder(lake));

  it('gives one example for each view', () => {
    expect(examples.map(([name]) => name)).toEqual(analyticsViews.map((v) => v.name));
  });

  it.each(examples)(
    'the %s example reads its view, passes Trino grammar and runs on the lake',
    async (name, sql) => {
      const engine = await openQueryEngine({ lake });
      try {
        const result = await engine.query(sql);
        expect(sql).toContain(`"engagementdb-glue-db"."${name}"`);
        expect(trinoSyntaxErrors(sql)).toEqual([]);
        expect(result).toMatchObject({ ok: true });
      } finally {
        engine.close();
      }
    },
  );
});
