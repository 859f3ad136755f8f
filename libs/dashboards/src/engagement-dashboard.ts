import {
  Aggregation,
  BarOrientation,
  type BarChart,
  Currency,
  type Dashboard,
  type Dataset,
  DatasetGrain,
  DateGranularity,
  type DateRangeFilter,
  type Dimension,
  FilterControl,
  type FilterColumns,
  FilterKind,
  type Kpi,
  type LineChart,
  type Measure,
  MeasureKind,
  type NumberFormat,
  NumberFormatKind,
  type RatioPart,
  type Sheet,
  SheetId,
  SortDirection,
  type Table,
  type ValuesFilter,
  VisualKind,
  VisualWidth,
} from './dashboard-definition';

// Formats.
const integer: NumberFormat = { kind: NumberFormatKind.integer };
const percent: NumberFormat = { kind: NumberFormatKind.percent, decimals: 1 };
const decimal: NumberFormat = { kind: NumberFormatKind.decimal, decimals: 2 };
const usd: NumberFormat = { kind: NumberFormatKind.currency, currency: Currency.usd, decimals: 2 };
const seconds: NumberFormat = { kind: NumberFormatKind.seconds, decimals: 1 };

// Measures.
const aggregate =
  (aggregation: Aggregation) =>
  (id: string, label: string, field: string, format: NumberFormat = integer): Measure => ({
    kind: MeasureKind.aggregate,
    id,
    label,
    field,
    aggregation,
    format,
  });
const sum = aggregate(Aggregation.sum);
const count = aggregate(Aggregation.count);
const countDistinct = aggregate(Aggregation.countDistinct);
const average = aggregate(Aggregation.average);
const summed = (field: string): RatioPart => ({ field, aggregation: Aggregation.sum });
const counted = (field: string): RatioPart => ({ field, aggregation: Aggregation.count });
const ratio = (
  id: string,
  label: string,
  numerator: RatioPart,
  denominator: RatioPart,
  format: NumberFormat = percent,
): Measure => ({ kind: MeasureKind.ratio, id, label, numerator, denominator, format });

// Dimensions.
const dimension = (id: string, label: string, field: string): Dimension => ({ id, label, field });
const day = (field: string): Dimension => ({
  id: 'day',
  label: 'Day',
  field,
  granularity: DateGranularity.day,
});

// Visuals.
const kpi = (dataset: string, measure: Measure, description: string): Kpi => ({
  kind: VisualKind.kpi,
  id: measure.id,
  title: measure.label,
  description,
  dataset,
  measure,
});
const line = (fields: Omit<LineChart, 'kind' | 'width'> & { width?: LineChart['width'] }): LineChart => ({
  kind: VisualKind.line,
  width: VisualWidth.half,
  ...fields,
});
const bar = (
  fields: Omit<BarChart, 'kind' | 'width' | 'orientation' | 'stacked' | 'sort'> &
    Partial<Pick<BarChart, 'width' | 'orientation' | 'stacked' | 'sort'>>,
): BarChart => ({
  kind: VisualKind.bar,
  width: VisualWidth.half,
  orientation: BarOrientation.horizontal,
  stacked: false,
  sort: { by: fields.measures[0].id, direction: SortDirection.descending },
  ...fields,
});
const table = (fields: Omit<Table, 'kind' | 'width'>): Table => ({
  kind: VisualKind.table,
  width: VisualWidth.full,
  ...fields,
});

// Filters.
const dateRange = (columns: FilterColumns): DateRangeFilter => ({
  kind: FilterKind.dateRange,
  id: 'date',
  label: 'Date',
  control: FilterControl.dateRangePicker,
  columns,
});
const values = (id: string, label: string, columns: FilterColumns): ValuesFilter => ({
  kind: FilterKind.values,
  id,
  label,
  control: FilterControl.multiSelectDropdown,
  columns,
});

const datasets: readonly Dataset[] = [
  { id: 'email-rates', view: 'email_conversion_rates_view', grain: DatasetGrain.group },
  { id: 'email-messages', view: 'email_message_status', grain: DatasetGrain.message },
  { id: 'sms-rates', view: 'sms_conversion_rates_view', grain: DatasetGrain.group },
  { id: 'sms-messages', view: 'sms_message_status', grain: DatasetGrain.message },
  { id: 'mms-rates', view: 'media_conversion_rates_view', grain: DatasetGrain.group },
  { id: 'mms-messages', view: 'media_message_status', grain: DatasetGrain.message },
  { id: 'voice-rates', view: 'voice_conversion_rates_view', grain: DatasetGrain.group },
  { id: 'voice-calls', view: 'voice_message_status', grain: DatasetGrain.message },
  { id: 'whatsapp-rates', view: 'whatsapp_message_conversion_rates', grain: DatasetGrain.group },
  { id: 'whatsapp-messages', view: 'whatsapp_message_status', grain: DatasetGrain.message },
  { id: 'whatsapp-conversations', view: 'whatsapp_conversation_view', grain: DatasetGrain.conversation },
];

const emailSheet = ((): Sheet => {
  const rates = 'email-rates';
  const messages = 'email-messages';
  const emailsSent = sum('emails-sent', 'Emails sent', 'total_emails_sent');
  const delivered = sum('delivered', 'Delivered', 'total_deliveries');
  const deliveryRate = ratio(
    'delivery-rate',
    'Delivery rate',
    summed('total_deliveries'),
    summed('total_emails_sent'),
  );
  const openRate = ratio('open-rate', 'Open rate', summed('total_emails_opened'), summed('total_deliveries'));
  const clickRate = ratio(
    'click-rate',
    'Click rate',
    summed('total_emails_clicked'),
    summed('total_deliveries'),
  );
  const bounceRate = ratio(
    'bounce-rate',
    'Bounce rate',
    summed('total_bounces'),
    summed('total_emails_sent'),
  );
  const complaintRate = ratio(
    'complaint-rate',
    'Complaint rate',
    summed('total_complaints'),
    summed('total_emails_sent'),
  );
  const byEmailsSent = (id: string, title: string, field: string, label: string): BarChart =>
    bar({
      id,
      title,
      description: `Emails sent per ${label.toLowerCase()}, the 10 with the most.`,
      dataset: rates,
      category: dimension(field.replaceAll('_', '-'), label, field),
      measures: [emailsSent],
      limit: 10,
    });
  const bounces = count('bounces', 'Bounces', 'bounce_timestamp');
  const complaints = count('complaints', 'Complaints', 'complaint_timestamp');
  return {
    id: SheetId.email,
    title: 'Email',
    description: 'Amazon SES email: sends, deliveries, bounces, complaints, opens and clicks.',
    filters: [
      dateRange({ [rates]: 'message_date', [messages]: 'message_timestamp' }),
      values('campaign', 'Campaign', { [rates]: 'campaign', [messages]: 'campaign' }),
      values('configuration-set', 'Configuration set', {
        [rates]: 'configuration_set',
        [messages]: 'configuration_set',
      }),
      values('sending-domain', 'Sending domain', { [rates]: 'sending_domain', [messages]: 'sending_domain' }),
    ],
    kpis: [
      kpi(rates, emailsSent, 'Email messages and recipients first seen in the period.'),
      kpi(rates, delivered, 'Emails delivered to the recipient’s mail server (or opened or clicked).'),
      kpi(
        messages,
        countDistinct('unique-recipients', 'Unique recipients', 'destinationaddress'),
        'Different recipient addresses.',
      ),
      kpi(rates, deliveryRate, 'Emails delivered out of the emails sent.'),
      kpi(rates, openRate, 'Emails opened (or clicked) out of the emails delivered.'),
      kpi(rates, clickRate, 'Emails with a clicked link out of the emails delivered.'),
      kpi(rates, bounceRate, 'Emails that bounced out of the emails sent.'),
      kpi(rates, complaintRate, 'Emails marked as spam out of the emails sent.'),
      kpi(rates, countDistinct('isps', 'ISPs', 'isp'), 'Different recipient mail providers (domains).'),
    ],
    visuals: [
      line({
        id: 'activity-per-day',
        title: 'Activity per day',
        description:
          'Sends, deliveries, bounces, complaints, opens and clicks by the day the email was sent.',
        dataset: rates,
        category: day('message_date'),
        measures: [
          emailsSent,
          delivered,
          sum('bounces', 'Bounces', 'total_bounces'),
          sum('complaints', 'Complaints', 'total_complaints'),
          sum('opened', 'Opened', 'total_emails_opened'),
          sum('clicked', 'Clicked', 'total_emails_clicked'),
        ],
      }),
      line({
        id: 'rates-per-day',
        title: 'Rates per day',
        description: 'Delivery, open, click, bounce and complaint rates by the day the email was sent.',
        dataset: rates,
        category: day('message_date'),
        measures: [deliveryRate, openRate, clickRate, bounceRate, complaintRate],
      }),
      byEmailsSent('by-isp', 'Emails by ISP', 'isp', 'ISP'),
      byEmailsSent('by-campaign', 'Emails by campaign', 'campaign', 'Campaign'),
      byEmailsSent(
        'by-configuration-set',
        'Emails by configuration set',
        'configuration_set',
        'Configuration set',
      ),
      byEmailsSent('by-sending-domain', 'Emails by sending domain', 'sending_domain', 'Sending domain'),
      table({
        id: 'campaign-performance',
        title: 'Performance by campaign',
        description: 'Each campaign’s emails and rates, the 100 with the most emails.',
        dataset: rates,
        dimensions: [dimension('campaign', 'Campaign', 'campaign')],
        measures: [emailsSent, delivered, deliveryRate, openRate, clickRate, bounceRate, complaintRate],
        sort: { by: emailsSent.id, direction: SortDirection.descending },
        limit: 100,
      }),
      table({
        id: 'bounces-and-complaints-by-subject',
        title: 'Bounces and complaints by subject',
        description: 'Each subject’s emails, bounces and complaints, the 100 with the most bounces.',
        dataset: messages,
        dimensions: [dimension('subject', 'Subject', 'subject')],
        measures: [
          count('emails', 'Emails', 'messageid'),
          bounces,
          ratio('bounce-rate', 'Bounce rate', counted('bounce_timestamp'), counted('messageid')),
          complaints,
          ratio('complaint-rate', 'Complaint rate', counted('complaint_timestamp'), counted('messageid')),
        ],
        sort: { by: bounces.id, direction: SortDirection.descending },
        limit: 100,
      }),
    ],
  };
})();

/**
 * What the SMS, MMS and voice sheets share, over a rates dataset and a per-message one: the count and
 * success rate, countries, the per-day and per-country charts, and the filters they have in common.
 */
function endUserMessagingParts(options: {
  rates: string;
  messages: string;
  /** What is counted: `messages` or `calls`. */
  noun: 'messages' | 'calls';
  /** What a success is, for the descriptions: `delivered or successful`. */
  success: string;
}) {
  const { rates, messages, noun } = options;
  const label = noun === 'calls' ? 'Calls' : 'Messages';
  const total = sum(noun, label, 'total_messages');
  const successRate = ratio(
    'success-rate',
    'Success rate',
    summed('successful_messages'),
    summed('total_messages'),
  );
  return {
    total,
    filters: {
      date: dateRange({ [rates]: 'message_date', [messages]: 'message_timestamp' }),
      country: values('country', 'Country', { [rates]: 'iso_country_code', [messages]: 'iso_country_code' }),
      // The rates view is grouped without the carrier.
      carrier: values('carrier', 'Carrier', { [rates]: null, [messages]: 'carrier_name' }),
      sendingNumber: values('sending-number', 'Sending number', {
        [rates]: 'sending_address',
        [messages]: 'sending_address',
      }),
    },
    kpis: {
      total: kpi(rates, total, `${label} first seen in the period.`),
      successRate: kpi(
        rates,
        successRate,
        `${label} whose latest status is ${options.success}, out of all ${noun}.`,
      ),
      countries: kpi(
        rates,
        countDistinct('countries', 'Countries reached', 'iso_country_code'),
        'Different destination countries.',
      ),
    },
    visuals: [
      line({
        id: `${noun}-per-day`,
        title: `${label} per day`,
        description: `${label} by the day they were sent.`,
        dataset: rates,
        category: day('message_date'),
        measures: [total],
      }),
      line({
        id: 'success-rate-per-day',
        title: 'Success rate per day',
        description: `${label} ${options.success} out of the ${noun} sent that day.`,
        dataset: rates,
        category: day('message_date'),
        measures: [successRate],
      }),
      bar({
        id: `${noun}-by-country`,
        title: `${label} by country`,
        description: `${label} per destination country, the 20 with the most.`,
        dataset: rates,
        category: dimension('country', 'Country', 'iso_country_code'),
        measures: [total],
        limit: 20,
      }),
    ],
  };
}

/** The SMS and MMS sheets: the same KPIs and charts over the text or the media views. */
function phoneMessagesSheet(options: {
  id: typeof SheetId.sms | typeof SheetId.mms;
  title: string;
  description: string;
  rates: string;
  messages: string;
}): Sheet {
  const { rates, messages } = options;
  const shared = endUserMessagingParts({
    rates,
    messages,
    noun: 'messages',
    success: 'delivered or successful',
  });
  return {
    id: options.id,
    title: options.title,
    description: options.description,
    filters: [
      shared.filters.date,
      shared.filters.country,
      shared.filters.carrier,
      values('type', 'Type', { [rates]: 'type', [messages]: 'type' }),
      shared.filters.sendingNumber,
    ],
    kpis: [
      shared.kpis.total,
      kpi(
        messages,
        countDistinct('unique-recipients', 'Unique recipients', 'destination_address'),
        'Different destination numbers.',
      ),
      shared.kpis.successRate,
      shared.kpis.countries,
      kpi(rates, sum('total-cost', 'Total cost', 'total_cost', usd), 'Message prices plus carrier fees.'),
      kpi(
        messages,
        average('average-parts', 'Average parts', 'message_parts', decimal),
        'Message parts per message, over the messages whose parts are known.',
      ),
      kpi(messages, countDistinct('carriers', 'Carriers', 'carrier_name'), 'Different destination carriers.'),
    ],
    visuals: [
      ...shared.visuals,
      line({
        id: 'price-and-fee-per-day',
        title: 'Message price and carrier fee per day',
        description: 'What the messages sent each day cost: their price and the carriers’ fees.',
        dataset: rates,
        category: day('message_date'),
        measures: [
          sum('message-price', 'Message price', 'total_message_price', usd),
          sum('carrier-fee', 'Carrier fee', 'total_carrier_fee', usd),
        ],
      }),
      table({
        id: 'by-carrier',
        title: 'Messages and cost by carrier',
        description:
          'Each destination carrier’s messages and their cost (price plus fee), the 50 with the most.',
        dataset: messages,
        dimensions: [dimension('carrier', 'Carrier', 'carrier_name')],
        measures: [count('messages', 'Messages', 'messageid'), sum('cost', 'Cost', 'total_price', usd)],
        sort: { by: 'messages', direction: SortDirection.descending },
        limit: 50,
      }),
      bar({
        id: 'messages-by-type',
        title: 'Messages by type',
        description: 'Messages per message type (transactional, promotional).',
        dataset: rates,
        category: dimension('type', 'Type', 'type'),
        measures: [shared.total],
      }),
    ],
  };
}

const voiceSheet = ((): Sheet => {
  const rates = 'voice-rates';
  const calls = 'voice-calls';
  const shared = endUserMessagingParts({
    rates,
    messages: calls,
    noun: 'calls',
    success: 'answered or completed',
  });
  return {
    id: SheetId.voice,
    title: 'Voice',
    description: 'Voice messages (calls): how many, how many were answered, where, what they cost.',
    filters: [
      shared.filters.date,
      shared.filters.country,
      shared.filters.carrier,
      shared.filters.sendingNumber,
    ],
    kpis: [
      shared.kpis.total,
      shared.kpis.successRate,
      shared.kpis.countries,
      kpi(rates, sum('total-cost', 'Total cost', 'total_message_price', usd), 'The calls’ prices.'),
      kpi(
        calls,
        average('average-call-duration', 'Average call duration', 'call_duration', seconds),
        'Seconds per call, over the calls with a known duration (completed calls).',
      ),
    ],
    visuals: [
      ...shared.visuals,
      bar({
        id: 'outcome-per-day',
        title: 'Outcome per day',
        description:
          'Calls by the day they were placed and their latest status: COMPLETED or ANSWERED (answered), BUSY, NO_ANSWER, FAILED; INITIATED or RINGING while under way.',
        dataset: calls,
        category: day('message_timestamp'),
        series: dimension('outcome', 'Outcome', 'last_status'),
        measures: [count('calls', 'Calls', 'messageid')],
        orientation: BarOrientation.vertical,
        stacked: true,
        sort: { by: 'day', direction: SortDirection.ascending },
        width: VisualWidth.full,
      }),
    ],
  };
})();

const whatsappSheet = ((): Sheet => {
  const rates = 'whatsapp-rates';
  const messages = 'whatsapp-messages';
  const conversations = 'whatsapp-conversations';
  const messagesSent = sum('messages-sent', 'Messages sent', 'total_messages');
  const conversationCount = countDistinct('conversations', 'Conversations', 'conversation_id');
  const sentToDelivered = ratio(
    'sent-to-delivered-rate',
    'Sent to delivered',
    summed('delivered_count'),
    summed('sent_count'),
  );
  const deliveredToRead = ratio(
    'delivered-to-read-rate',
    'Delivered to read',
    summed('read_count'),
    summed('delivered_count'),
  );
  const originType = dimension('origin-type', 'Origin type', 'origin_type');
  return {
    id: SheetId.whatsapp,
    title: 'WhatsApp',
    description:
      'WhatsApp messages the business sent through End User Messaging Social, and their conversations.',
    filters: [
      dateRange({
        [rates]: 'message_date',
        [messages]: 'message_timestamp',
        [conversations]: 'first_message_timestamp',
      }),
      values('sending-number', 'Sending number', {
        [rates]: 'sending_address',
        [messages]: 'sending_address',
        [conversations]: 'sending_address',
      }),
      // The rates view is grouped without the origin type.
      values('origin-type', 'Origin type', {
        [rates]: null,
        [messages]: 'origin_type',
        [conversations]: 'origin_type',
      }),
    ],
    kpis: [
      kpi(
        rates,
        messagesSent,
        'Messages the business sent (whatever became of them), first seen in the period.',
      ),
      kpi(
        messages,
        countDistinct('unique-recipients', 'Unique recipients', 'destination_address'),
        'Different destination numbers.',
      ),
      kpi(conversations, conversationCount, 'Conversations whose first message was sent in the period.'),
      kpi(
        conversations,
        average(
          'average-conversation-duration',
          'Average conversation duration',
          'conversation_duration_seconds',
          seconds,
        ),
        'Seconds from the first to the last message the business sent in a conversation.',
      ),
      kpi(rates, sentToDelivered, 'Messages delivered (or read) out of the messages sent.'),
      kpi(
        rates,
        deliveredToRead,
        'Messages read out of the messages delivered (a read message was delivered).',
      ),
    ],
    visuals: [
      line({
        id: 'messages-per-day',
        title: 'Messages per day',
        description: 'Messages by the day they were sent.',
        dataset: rates,
        category: day('message_date'),
        measures: [messagesSent],
      }),
      line({
        id: 'conversations-per-day',
        title: 'Conversations per day',
        description: 'Conversations by the day of their first message.',
        dataset: conversations,
        category: day('first_message_timestamp'),
        measures: [conversationCount],
      }),
      line({
        id: 'rates-per-day',
        title: 'Rates per day',
        description: 'Sent to delivered and delivered to read, by the day the messages were sent.',
        dataset: rates,
        category: day('message_date'),
        measures: [sentToDelivered, deliveredToRead],
      }),
      bar({
        id: 'conversations-by-origin-type',
        title: 'Conversations by origin type',
        description: 'Conversations per origin (marketing, utility, authentication, service, ...).',
        dataset: conversations,
        category: originType,
        measures: [conversationCount],
      }),
      bar({
        id: 'messages-per-conversation-by-origin-type',
        title: 'Messages per conversation by origin type',
        description: 'Messages the business sent per conversation, per origin.',
        dataset: conversations,
        category: originType,
        measures: [
          ratio(
            'messages-per-conversation',
            'Messages per conversation',
            summed('total_messages'),
            counted('conversation_id'),
            decimal,
          ),
        ],
      }),
    ],
  };
})();

/**
 * The engagement dashboard: one sheet per channel (`email`, `sms`, `mms`, `voice`, `whatsapp`), each
 * with a date range and its channel's filters, KPIs, charts and tables over the analytics views.
 *
 * @example
 * const email = engagementDashboard.sheets.find((sheet) => sheet.id === 'email');
 * email?.kpis.map((kpi) => kpi.id); // ['emails-sent', 'delivered', 'unique-recipients', 'delivery-rate', ...]
 */
export const engagementDashboard: Dashboard = {
  id: 'engagement',
  title: 'Messaging dashboard',
  datasets,
  sheets: [
    emailSheet,
    phoneMessagesSheet({
      id: SheetId.sms,
      title: 'SMS',
      description: 'SMS through End User Messaging: messages, delivery, countries, carriers and cost.',
      rates: 'sms-rates',
      messages: 'sms-messages',
    }),
    phoneMessagesSheet({
      id: SheetId.mms,
      title: 'MMS',
      description: 'MMS through End User Messaging: messages, delivery, countries, carriers and cost.',
      rates: 'mms-rates',
      messages: 'mms-messages',
    }),
    voiceSheet,
    whatsappSheet,
  ],
};
