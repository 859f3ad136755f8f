export { DetectionFailureKind } from './detection-failure';
export type { DetectionFailure } from './detection-failure';
export { Envelope, unwrapEnvelope } from './envelope';
export type { UnwrappedEvent } from './envelope';
export { EventSource, detectSource } from './event-source';
export { WhatsAppEventType, WhatsAppUnitKind, fanOutWhatsApp } from './whatsapp-fan-out';
export type { WhatsAppUnit } from './whatsapp-fan-out';
