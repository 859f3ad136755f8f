import type { Result } from '@engagement-db/canonical-model';
import type { DetectionFailure } from './detection-failure';
import { DetectionFailureKind } from './detection-failure';
import { describeJsonType, excerptOf, isJsonObject, parseJson } from './internal/json-value';

/** The envelope a raw event arrived in. */
export const Envelope = {
  none: 'none',
  sns: 'sns',
  eventBridge: 'eventbridge',
} as const;
export type Envelope = (typeof Envelope)[keyof typeof Envelope];

/**
 * A raw event with its envelopes taken off.
 *
 * `envelope` is the outermost envelope the record arrived in; `event` and `rawEventText` are the
 * innermost event, whatever the depth of nesting.
 */
export interface UnwrappedEvent {
  readonly envelope: Envelope;
  readonly event: Record<string, unknown>;
  /** The event as text: the record itself, the SNS `Message` string, or `JSON.stringify(detail)`. */
  readonly rawEventText: string;
}

/**
 * Takes SNS and EventBridge envelopes off a parsed raw record, nested ones too (SNS holding EventBridge).
 *
 * An object is an SNS notification when it has `Type: "Notification"`, or when its string `Message`
 * holds a JSON object; it is an EventBridge event when it has a string `source`, a string `detail-type`
 * and a `detail`. Anything else is returned as the event itself, with envelope `none`.
 * A broken envelope (a `Message` that is not a JSON object, a `detail` that is not an object, a record
 * that is not an object) is a failure of kind `invalid-envelope` with its path.
 *
 * @param parsed - `JSON.parse(text)`.
 * @param text - the raw record, returned as `rawEventText` when there is no envelope.
 *
 * @example
 * ```ts
 * const text = '{"Type":"Notification","Message":"{\\"eventType\\":\\"Send\\",\\"mail\\":{}}"}';
 * const result = unwrapEnvelope(JSON.parse(text), text);
 * // result.ok === true, result.value.envelope === 'sns', result.value.event.eventType === 'Send'
 * ```
 */
export function unwrapEnvelope(parsed: unknown, text: string): Result<UnwrappedEvent, DetectionFailure> {
  if (!isJsonObject(parsed)) {
    return invalidEnvelope('$', `raw record at $: expected a JSON object, got ${describeJsonType(parsed)}`);
  }
  let event = parsed;
  let rawEventText = text;
  let path = '$';
  let outermost: Envelope = Envelope.none;
  for (;;) {
    const layer = openLayer(event, path);
    if (layer === undefined) break;
    if ('error' in layer) return layer;
    if (outermost === Envelope.none) outermost = layer.envelope;
    event = layer.event;
    rawEventText = layer.rawEventText;
    path = layer.path;
  }
  return { ok: true, value: { envelope: outermost, event, rawEventText } };
}

type Layer =
  | { envelope: Envelope; event: Record<string, unknown>; rawEventText: string; path: string }
  | { ok: false; error: DetectionFailure };

/** The event inside one envelope, or undefined when `value` is not an envelope. */
function openLayer(value: Record<string, unknown>, path: string): Layer | undefined {
  const sns = openSnsNotification(value, path);
  if (sns !== undefined) return sns;
  if (isEventBridgeEvent(value)) {
    const detailPath = `${path}.detail`;
    const detail = value.detail;
    if (!isJsonObject(detail)) {
      return invalidEnvelope(
        detailPath,
        `EventBridge event at ${detailPath}: expected the detail as an object, got ${describeJsonType(detail)}`,
      );
    }
    return {
      envelope: Envelope.eventBridge,
      event: detail,
      rawEventText: JSON.stringify(detail),
      path: detailPath,
    };
  }
  return undefined;
}

function openSnsNotification(value: Record<string, unknown>, path: string): Layer | undefined {
  const marked = value.Type === 'Notification';
  const message = value.Message;
  const messagePath = `${path}.Message`;
  if (typeof message !== 'string') {
    if (!marked) return undefined;
    return invalidEnvelope(
      messagePath,
      `SNS notification at ${messagePath}: expected the message as a JSON string, got ${describeJsonType(message)}`,
    );
  }
  const parsed = parseJson(message);
  // Without the Type marker only a Message holding a JSON object makes an envelope: a plain-text
  // Message may be a field of some other event.
  if (!marked && !(parsed.ok && isJsonObject(parsed.value))) return undefined;
  if (!parsed.ok) {
    return invalidEnvelope(
      messagePath,
      `SNS notification at ${messagePath}: expected a JSON object, got text that is not JSON ` +
        `(${parsed.error}): ${excerptOf(message)}`,
    );
  }
  if (!isJsonObject(parsed.value)) {
    return invalidEnvelope(
      messagePath,
      `SNS notification at ${messagePath}: expected a JSON object, got ${describeJsonType(parsed.value)}`,
    );
  }
  return { envelope: Envelope.sns, event: parsed.value, rawEventText: message, path: messagePath };
}

function isEventBridgeEvent(value: Record<string, unknown>): boolean {
  return typeof value.source === 'string' && typeof value['detail-type'] === 'string' && 'detail' in value;
}

function invalidEnvelope(path: string, message: string): { ok: false; error: DetectionFailure } {
  return { ok: false, error: { kind: DetectionFailureKind.invalidEnvelope, message, path } };
}
