import type { Result } from '@engagement-db/canonical-model';
import type { DetectionFailure } from './detection-failure';
import { DetectionFailureKind } from './detection-failure';
import { describeJsonType, excerptOf, isJsonObject, parseJson } from './internal/json-value';

/** What a WhatsApp unit is in Meta's webhook: an inbound message or a status of a sent message. */
export const WhatsAppUnitKind = {
  message: 'message',
  status: 'status',
} as const;
export type WhatsAppUnitKind = (typeof WhatsAppUnitKind)[keyof typeof WhatsAppUnitKind];

/** The canonical `type` of a WhatsApp unit, as in the "WhatsApp Type and Status Detection" table. */
export const WhatsAppEventType = {
  message: 'message',
  messageStatus: 'messageStatus',
} as const;
export type WhatsAppEventType = (typeof WhatsAppEventType)[keyof typeof WhatsAppEventType];

/** One message or one status out of a WhatsApp webhook entry, with what the mapper needs around it. */
export interface WhatsAppUnit {
  /** 0-based position in the fan-out: messages, then statuses, of each change, changes in order. */
  readonly position: number;
  readonly kind: WhatsAppUnitKind;
  readonly type: WhatsAppEventType;
  /** `message.type` (text, image, reaction, ...) or `status.status` (sent, delivered, read, failed). */
  readonly status: string | null;
  /** `errors[0].code` as text, for a failed status only. */
  readonly statusCode: string | null;
  /** `errors[0].message`, else `errors[0].title`, for a failed status only. */
  readonly statusMessage: string | null;
  /** The message or status object. */
  readonly item: Record<string, unknown>;
  /** The change holding it: `{ field, value }`. */
  readonly change: Record<string, unknown>;
  /** The parsed `whatsAppWebhookEntry`. */
  readonly entry: Record<string, unknown>;
}

const entryPath = '$.whatsAppWebhookEntry';
const failedStatus = 'failed';

/**
 * Splits an End User Messaging Social event into one unit per message and per status of its
 * `whatsAppWebhookEntry` (a JSON string holding Meta's webhook entry; an object is accepted too),
 * across every change, in order.
 *
 * An entry that is not JSON, not an object, or whose `changes`, change, `value`, `messages` or
 * `statuses` has the wrong shape is a failure of kind `invalid-whatsapp-entry` with its path.
 * A well-formed entry with no message and no status (an account update, say) gives no units.
 *
 * @example
 * ```ts
 * const entry = { id: '1', changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.1', status: 'read' }] } }] };
 * const result = fanOutWhatsApp({ whatsAppWebhookEntry: JSON.stringify(entry) });
 * // result.ok === true; result.units[0].type === 'messageStatus'; result.units[0].status === 'read'
 * ```
 */
export function fanOutWhatsApp(event: Record<string, unknown>): Result<WhatsAppUnit[], DetectionFailure> {
  const entry = readEntry(event.whatsAppWebhookEntry);
  if (!entry.ok) return entry;
  const changes = entry.value.changes;
  if (!Array.isArray(changes)) {
    return invalidEntry(
      `${entryPath}.changes`,
      `expected an array of changes, got ${describeJsonType(changes)}`,
    );
  }
  // Index loops and one object per unit: an entry of thousands of statuses fans out in one pass.
  const units: WhatsAppUnit[] = [];
  for (let changeIndex = 0; changeIndex < changes.length; changeIndex++) {
    const change: unknown = changes[changeIndex];
    if (!isJsonObject(change)) {
      return invalidEntry(
        `${entryPath}.changes[${changeIndex}]`,
        `expected a change object, got ${describeJsonType(change)}`,
      );
    }
    const value = change.value;
    if (!isJsonObject(value)) {
      return invalidEntry(
        `${entryPath}.changes[${changeIndex}].value`,
        `expected an object, got ${describeJsonType(value)}`,
      );
    }
    const failed =
      addUnits(units, WhatsAppUnitKind.message, value.messages, changeIndex, change, entry.value) ??
      addUnits(units, WhatsAppUnitKind.status, value.statuses, changeIndex, change, entry.value);
    if (failed !== undefined) return failed;
  }
  return { ok: true, value: units };
}

/** Adds the units of a change's `messages` or `statuses`; the failure when the list has the wrong shape. */
function addUnits(
  units: WhatsAppUnit[],
  kind: WhatsAppUnitKind,
  list: unknown,
  changeIndex: number,
  change: Record<string, unknown>,
  entry: Record<string, unknown>,
): { ok: false; error: DetectionFailure } | undefined {
  if (list === undefined) return undefined;
  const listPath = () =>
    `${entryPath}.changes[${changeIndex}].value.${kind === WhatsAppUnitKind.message ? 'messages' : 'statuses'}`;
  if (!Array.isArray(list))
    return invalidEntry(listPath(), `expected an array, got ${describeJsonType(list)}`);
  for (let itemIndex = 0; itemIndex < list.length; itemIndex++) {
    const item: unknown = list[itemIndex];
    if (!isJsonObject(item)) {
      return invalidEntry(`${listPath()}[${itemIndex}]`, `expected an object, got ${describeJsonType(item)}`);
    }
    units.push(
      kind === WhatsAppUnitKind.message
        ? messageUnit(units.length, item, change, entry)
        : statusUnit(units.length, item, change, entry),
    );
  }
  return undefined;
}

/** One unit as an event of its own: what a fan-out row stands for. */
export interface WhatsAppUnitEvent {
  /**
   * The event with `whatsAppWebhookEntry` narrowed to {@link WhatsAppUnitEvent.entry} (as JSON text
   * when the event had the entry as JSON text); every other field as in the event.
   */
  readonly event: Record<string, unknown>;
  /** The entry with only the unit's change, whose `value` holds only the unit's message or status. */
  readonly entry: Record<string, unknown>;
  /** True when the entry holds nothing else: then `event` and `entry` are the event's own objects. */
  readonly whole: boolean;
  /** `JSON.stringify(event)`; undefined when `whole`, as the event is then the one received, text and all. */
  readonly text: string | undefined;
}

/**
 * The event one WhatsApp unit stands for: the envelope with the entry narrowed to the unit's change,
 * holding only its message or status. Its size is the unit's, not the entry's, so the rows of an
 * entry with n statuses hold n units' worth of text, not n copies of the entry. Key order is kept.
 *
 * @example
 * ```ts
 * const fanOut = fanOutWhatsApp(event);
 * if (fanOut.ok) for (const unit of fanOut.units) store(JSON.stringify(narrowToUnit(event, unit).event));
 * ```
 */
export function narrowToUnit(event: Record<string, unknown>, unit: WhatsAppUnit): WhatsAppUnitEvent {
  const { entry, change, item } = unit;
  const value = change.value as Record<string, unknown>;
  const changes = entry.changes as unknown[];
  if (changes.length === 1 && listLength(value.messages) + listLength(value.statuses) === 1) {
    return { event, entry, whole: true, text: undefined };
  }
  const [listName, otherListName] =
    unit.kind === WhatsAppUnitKind.message ? ['messages', 'statuses'] : ['statuses', 'messages'];
  const narrowedValue: Record<string, unknown> = { ...value, [listName]: [item] };
  delete narrowedValue[otherListName];
  const narrowedEntry = { ...entry, changes: [{ ...change, value: narrowedValue }] };
  // The texts: the unit's item in the JSON of the parts every unit of the entry shares, made once.
  const entryText = sharedTextOf(entry, 'changes').join(
    `[${sharedTextOf(change, 'value').join(sharedTextOf(value, listName, otherListName).join(`[${JSON.stringify(item)}]`))}]`,
  );
  const asText = typeof event.whatsAppWebhookEntry === 'string';
  const eventPieces = sharedTextOf(event, 'whatsAppWebhookEntry');
  return {
    event: { ...event, whatsAppWebhookEntry: asText ? entryText : narrowedEntry },
    entry: narrowedEntry,
    whole: false,
    text: eventPieces.join(asText ? JSON.stringify(entryText) : entryText),
  };
}

function listLength(list: unknown): number {
  return Array.isArray(list) ? list.length : 0;
}

// The JSON text of an object around one member's value, by object, then member (and left-out member).
const sharedTexts = new WeakMap<object, Map<string, [string, string]>>();

/**
 * The JSON text of `object` without `omitted`, split where the value of `key` goes:
 * `[before, after]` such that `before + JSON.stringify(v) + after` is JSON.stringify of the object
 * with `v` as that value. Made once per object and members, however many units share it.
 */
function sharedTextOf(object: Record<string, unknown>, key: string, omitted?: string): [string, string] {
  let texts = sharedTexts.get(object);
  if (texts === undefined) sharedTexts.set(object, (texts = new Map()));
  const slot = omitted === undefined ? key : `${key}\u0000${omitted}`;
  let pieces = texts.get(slot);
  if (pieces === undefined) {
    let before = '{';
    let after = '';
    let seen = false;
    let members = 0;
    for (const name of Object.keys(object)) {
      if (name === omitted) continue;
      const member = `${members++ === 0 ? '' : ','}${JSON.stringify(name)}:`;
      if (name === key) seen = true;
      if (name === key) before += member;
      else if (seen) after += member + JSON.stringify(object[name]);
      else before += member + JSON.stringify(object[name]);
    }
    pieces = [before, `${after}}`];
    texts.set(slot, pieces);
  }
  return pieces;
}

function messageUnit(
  position: number,
  item: Record<string, unknown>,
  change: Record<string, unknown>,
  entry: Record<string, unknown>,
): WhatsAppUnit {
  return {
    position,
    kind: WhatsAppUnitKind.message,
    type: WhatsAppEventType.message,
    status: textOf(item.type),
    statusCode: null,
    statusMessage: null,
    item,
    change,
    entry,
  };
}

function statusUnit(
  position: number,
  item: Record<string, unknown>,
  change: Record<string, unknown>,
  entry: Record<string, unknown>,
): WhatsAppUnit {
  const status = textOf(item.status);
  const errors = item.errors;
  const firstError =
    status === failedStatus && Array.isArray(errors) && isJsonObject(errors[0]) ? errors[0] : undefined;
  return {
    position,
    kind: WhatsAppUnitKind.status,
    type: WhatsAppEventType.messageStatus,
    status,
    statusCode: firstError === undefined ? null : codeOf(firstError.code),
    statusMessage: firstError === undefined ? null : (textOf(firstError.message) ?? textOf(firstError.title)),
    item,
    change,
    entry,
  };
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function codeOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return textOf(value);
}

function readEntry(value: unknown): Result<Record<string, unknown>, DetectionFailure> {
  if (isJsonObject(value)) return { ok: true, value };
  if (typeof value !== 'string') {
    return invalidEntry(
      entryPath,
      `expected Meta's webhook entry as a JSON string, got ${describeJsonType(value)}`,
    );
  }
  const parsed = parseJson(value);
  if (!parsed.ok) {
    return invalidEntry(
      entryPath,
      `expected Meta's webhook entry as a JSON string, got text that is not JSON (${parsed.error}): ${excerptOf(value)}`,
    );
  }
  if (!isJsonObject(parsed.value)) {
    return invalidEntry(entryPath, `expected a JSON object, got ${describeJsonType(parsed.value)}`);
  }
  return { ok: true, value: parsed.value };
}

function invalidEntry(path: string, why: string): { ok: false; error: DetectionFailure } {
  return {
    ok: false,
    error: {
      kind: DetectionFailureKind.invalidWhatsAppEntry,
      message: `WhatsApp entry at ${path}: ${why}`,
      path,
    },
  };
}
