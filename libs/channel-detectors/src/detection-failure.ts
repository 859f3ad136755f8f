import type { Failure } from '@engagement-db/canonical-model';

/** Why a raw event could not be unwrapped or fanned out. */
export const DetectionFailureKind = {
  invalidEnvelope: 'invalid-envelope',
  invalidWhatsAppEntry: 'invalid-whatsapp-entry',
} as const;
export type DetectionFailureKind = (typeof DetectionFailureKind)[keyof typeof DetectionFailureKind];

/**
 * A raw event this library cannot read, as a value: what is wrong and where. Always has a `path`, a
 * JSONPath into the raw record that runs through JSON held in strings (an SNS `Message`, a
 * `whatsAppWebhookEntry`) as if they were nested objects.
 *
 * @example
 * ```ts
 * const error: DetectionFailure = {
 *   kind: 'invalid-envelope',
 *   message: 'SNS notification at $.Message: expected a JSON object, got text that is not JSON (...)',
 *   path: '$.Message',
 * };
 * ```
 */
export interface DetectionFailure extends Failure<DetectionFailureKind> {
  readonly path: string;
}
