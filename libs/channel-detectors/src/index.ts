export { DetectionFailureKind } from './detection-failure';
export type { DetectionFailure } from './detection-failure';
export { Envelope, unwrapEnvelope } from './envelope';
export type { UnwrappedEvent } from './envelope';
export { EventSource, detectSource } from './event-source';
export { jsonNestsTooDeep, maximumJsonDepth } from './json-depth';
export { WhatsAppEventType, WhatsAppUnitKind, fanOutWhatsApp, narrowToUnit } from './whatsapp-fan-out';
export type { WhatsAppUnit, WhatsAppUnitEvent } from './whatsapp-fan-out';
