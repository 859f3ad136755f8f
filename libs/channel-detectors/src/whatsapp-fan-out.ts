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
  const units: WhatsAppUnit[] = [];
  for (const [changeIndex, change] of changes.entries()) {
    const changePath = `${entryPath}.changes[${changeIndex}]`;
    if (!isJsonObject(change)) {
      return invalidEntry(changePath, `expected a change object, got ${describeJsonType(change)}`);
    }
    const value = change.value;
    if (!isJsonObject(value)) {
      return invalidEntry(`${changePath}.value`, `expected an object, got ${describeJsonType(value)}`);
    }
    for (const kind of [WhatsAppUnitKind.message, WhatsAppUnitKind.status]) {
      const listName = kind === WhatsAppUnitKind.message ? 'messages' : 'statuses';
      const list = value[listName];
      if (list === undefined) continue;
      const listPath = `${changePath}.value.${listName}`;
      if (!Array.isArray(list)) {
        return invalidEntry(listPath, `expected an array, got ${describeJsonType(list)}`);
      }
      for (const [itemIndex, item] of list.entries()) {
        if (!isJsonObject(item)) {
          return invalidEntry(
            `${listPath}[${itemIndex}]`,
            `expected an object, got ${describeJsonType(item)}`,
          );
        }
        const base = { position: units.length, item, change, entry: entry.value };
        units.push(kind === WhatsAppUnitKind.message ? messageUnit(base) : statusUnit(base));
      }
    }
  }
  return { ok: true, value: units };
}

type UnitBase = Pick<WhatsAppUnit, 'position' | 'item' | 'change' | 'entry'>;

function messageUnit(base: UnitBase): WhatsAppUnit {
  return {
    ...base,
    kind: WhatsAppUnitKind.message,
    type: WhatsAppEventType.message,
    status: textOf(base.item.type),
    statusCode: null,
    statusMessage: null,
  };
}

function statusUnit(base: UnitBase): WhatsAppUnit {
  const status = textOf(base.item.status);
  const errors = base.item.errors;
  const firstError =
    status === failedStatus && Array.isArray(errors) && isJsonObject(errors[0]) ? errors[0] : undefined;
  return {
    ...base,
    kind: WhatsAppUnitKind.status,
    type: WhatsAppEventType.messageStatus,
    status,
    statusCode: firstError === undefined ? null : codeOf(firstError.code),
    statusMessage: firstError === undefined ? null : (textOf(firstError.message) ?? textOf(firstError.title)),
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
