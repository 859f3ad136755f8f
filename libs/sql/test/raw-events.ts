import { type RawRecord, ingest } from '@engagement-db/lake';
import { createMapper } from '@engagement-db/mapper';

/**
 * Raw events as SES, End User Messaging and End User Messaging Social write them (the shapes of the
 * mapper's fixture corpus), for lakes built through the real mapper and ingest.
 */

const iso = (epochMillis: number) => new Date(epochMillis).toISOString();

export interface SesMessage {
  readonly messageId: string;
  readonly sentAt: number;
  readonly to: string;
  readonly subject: string;
  readonly campaign?: string;
  readonly configurationSet?: string;
}

/** An SES event publishing record of one type (`Send`, `Delivery`, `Open`, ...) for a message. */
export function sesEvent(
  message: SesMessage,
  eventType: string,
  at: number,
  detail: Record<string, unknown> = {},
): string {
  const tags: Record<string, string[]> = {
    'ses:source-tls-version': ['TLSv1.3'],
    'ses:operation': ['SendEmail'],
    'ses:source-ip': ['192.0.2.10'],
    'ses:from-domain': ['example.com'],
  };
  if (message.configurationSet) tags['ses:configuration-set'] = [message.configurationSet];
  if (message.campaign) tags.campaign = [message.campaign];
  const objectKey =
    { 'Rendering Failure': 'failure', DeliveryDelay: 'deliveryDelay' }[eventType] ?? eventType.toLowerCase();
  return JSON.stringify({
    eventType,
    mail: {
      timestamp: iso(message.sentAt),
      source: 'Example Store <news@example.com>',
      sourceArn: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
      sendingAccountId: '111122223333',
      messageId: message.messageId,
      destination: [message.to],
      headersTruncated: false,
      commonHeaders: {
        from: ['Example Store <news@example.com>'],
        to: [message.to],
        subject: message.subject,
      },
      tags,
    },
    [objectKey]: { timestamp: iso(at), ...detail },
  });
}

export interface PhoneMessage {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly country: string;
  readonly carrier?: string;
  readonly campaign?: string;
}

/** An End User Messaging SMS, MMS or Voice event (`TEXT_DELIVERED`, `VOICE_COMPLETED`, ...). */
export function phoneEvent(
  message: PhoneMessage,
  eventType: string,
  at: number,
  fields: Record<string, unknown>,
): string {
  const [, ...status] = eventType.split('_');
  return JSON.stringify({
    eventType,
    eventVersion: '1.0',
    eventTimestamp: at,
    originationPhoneNumber: message.from,
    destinationPhoneNumber: message.to,
    isoCountryCode: message.country,
    isInternationalSend: false,
    ...(message.carrier === undefined ? {} : { carrierName: message.carrier }),
    messageId: message.messageId,
    messageRequestTimestamp: at - 1000,
    messageType: 'TRANSACTIONAL',
    messageStatus: status.join('_'),
    context: { accountId: '111122223333', ...(message.campaign ? { campaign: message.campaign } : {}) },
    ...fields,
  });
}

export interface WhatsAppMessage {
  readonly messageId: string;
  readonly to: string;
  readonly conversationId?: string;
  readonly originType?: string;
  readonly bizOpaque?: string;
}

/** A WhatsApp status (`sent`, `delivered`, `read`, `failed`) through End User Messaging Social. */
export function whatsappStatus(
  message: WhatsAppMessage,
  status: string,
  at: number,
  errors?: { code: number; title: string }[],
): string {
  const statusObject: Record<string, unknown> = {
    id: message.messageId,
    status,
    timestamp: String(Math.floor(at / 1000)),
    recipient_id: message.to.replace('+', ''),
  };
  if (message.conversationId) {
    statusObject.conversation = { id: message.conversationId, origin: { type: message.originType } };
  }
  if (message.bizOpaque) statusObject.biz_opaque_callback_data = message.bizOpaque;
  if (errors) statusObject.errors = errors.map((error) => ({ ...error, message: error.title }));
  const entry = {
    id: '364711246704513',
    changes: [
      {
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
          statuses: [statusObject],
        },
        field: 'messages',
      },
    ],
  };
  return JSON.stringify({
    context: {
      MetaWabaIds: [{ wabaId: '364711246704513' }],
      MetaPhoneNumberIds: [{ metaPhoneNumberId: '106540352242922' }],
    },
    whatsAppWebhookEntry: JSON.stringify(entry),
    aws_account_id: '111122223333',
    message_timestamp: iso(at),
    messageId: `${message.messageId}-${status}`,
  });
}

/** Ingests raw event lines into the lake's events stream with the real mapper and default templates. */
export async function ingestRawEvents(lake: string, lines: readonly string[]): Promise<void> {
  async function* records(): AsyncGenerator<RawRecord> {
    for (let i = 0; i < lines.length; i++) yield { text: lines[i], origin: 'raw-events', line: i + 1 };
  }
  const failures: string[] = [];
  await ingest({
    lake,
    table: 'events',
    mapper: createMapper(),
    records: records(),
    onFailure: ({ line, error }) => failures.push(`line ${line}: ${error.kind}: ${error.message}`),
  });
  if (failures.length > 0) throw new Error(`raw events the mapper refused:\n${failures.join('\n')}`);
}
