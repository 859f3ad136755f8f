import { isJsonObject } from './internal/json-value';

/** The services whose events this project reads, as told apart by {@link detectSource}. */
export const EventSource = {
  /** SES event publishing (configuration set event destinations): `eventType` + `mail`. */
  sesEvent: 'ses-event',
  /** SES feedback notifications through SNS: `notificationType` + `mail`. */
  sesNotification: 'ses-notification',
  /** End User Messaging SMS, MMS and Voice: `eventType` `TEXT_*`, `MEDIA_*` or `VOICE_*` + `messageId`. */
  endUserMessaging: 'end-user-messaging',
  /** End User Messaging Social (WhatsApp): `whatsAppWebhookEntry`. */
  whatsapp: 'whatsapp',
  unknown: 'unknown',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/**
 * Tells which service an unwrapped event comes from, by the fields each service always sets.
 *
 * @param event - an event with its envelopes taken off (see `unwrapEnvelope`).
 *
 * @example
 * ```ts
 * detectSource({ eventType: 'TEXT_DELIVERED', messageId: '6d9a1f7e-...' }); // 'end-user-messaging'
 * detectSource({ hello: 'world' }); // 'unknown'
 * ```
 */
export function detectSource(event: Record<string, unknown>): EventSource {
  if (isJsonObject(event.mail)) {
    if (typeof event.eventType === 'string') return EventSource.sesEvent;
    if (typeof event.notificationType === 'string') return EventSource.sesNotification;
  }
  if (
    typeof event.eventType === 'string' &&
    isEndUserMessagingEventType(event.eventType) &&
    typeof event.messageId === 'string'
  ) {
    return EventSource.endUserMessaging;
  }
  if (typeof event.whatsAppWebhookEntry === 'string' || isJsonObject(event.whatsAppWebhookEntry)) {
    return EventSource.whatsapp;
  }
  return EventSource.unknown;
}

/** `TEXT_*`, `MEDIA_*` or `VOICE_*`: checked without a regular expression, as every record asks. */
function isEndUserMessagingEventType(eventType: string): boolean {
  return eventType.startsWith('TEXT_') || eventType.startsWith('MEDIA_') || eventType.startsWith('VOICE_');
}
