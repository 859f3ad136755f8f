import {
  type CanonicalEvent,
  type CanonicalRow,
  type Result,
  TableName,
} from '@engagement-db/canonical-model';
import {
  EventSource,
  type WhatsAppUnit,
  detectSource,
  fanOutWhatsApp,
  jsonNestsTooDeep,
  maximumJsonDepth,
  narrowToUnit,
  unwrapEnvelope,
} from '@engagement-db/channel-detectors';
import { type CompiledTemplates, compileTemplates } from './compile-templates';
import { MapperError } from './errors';
import { conversationOf } from './internal/conversation-record';
import { eventIdsOf, eventRowOf } from './internal/event-row';
import { RenderBudget, RenderBudgetExceeded, recordLimits } from './internal/render-budget';
import { type HelperScope, templateHelpersOf } from './internal/template-helpers';
import type { TemplateHelpers } from './internal/template-sandbox';
import type { VelocityTemplate } from './internal/velocity-template';
import { type MappingFailure, MappingFailureKind, type RenderLimit } from './mapping-failure';
import { TemplateName, type TemplateSources, defaultTemplateSources } from './template-sources';

/** The rows of one raw record for a table, or why it could not be mapped. */
export type MappingResult<Table extends TableName = TableName> = Result<
  CanonicalRow<Table>[],
  MappingFailure
>;

/** Maps raw records to canonical rows with one compiled template set. */
export interface Mapper {
  /**
   * Maps one raw record for a table. For `events`, a raw SES, End User Messaging or WhatsApp event
   * (bare, in SNS or in EventBridge) gives its canonical events: 0..n, as a WhatsApp entry fans out
   * into one row per message and status. For `conversations`, a chatbot conversation record gives
   * its one checked and normalised row. Never throws for bad input: every problem is a
   * {@link MappingFailure}; throws `MapperError` for a table name that is not a {@link TableName}.
   *
   * @example
   * ```ts
   * const result = mapper.map(TableName.events, line);
   * if (result.ok) for (const row of result.value) console.log(row.channel, row.status);
   * else console.error(`${result.error.kind} at ${result.error.path ?? '$'}: ${result.error.message}`);
   * ```
   */
  map<Table extends TableName>(table: Table, rawText: string): MappingResult<Table>;
  /**
   * What this mapper was made of, as plain data that can cross to a worker thread, where
   * `createMapper(mapperOptionsOf(mapper.settings))` makes the same mapper again.
   */
  readonly settings: MapperSettings;
}

/** A mapper's template texts and account id, as plain data. */
export interface MapperSettings {
  readonly templateSources: TemplateSources;
  readonly accountId: string | null;
}

/**
 * The options that make a mapper with these settings again (templates compiled anew).
 *
 * @example new Worker(file, { workerData: mapper.settings }); // then, in the worker: createMapper(mapperOptionsOf(workerData))
 */
export function mapperOptionsOf(settings: MapperSettings): MapperOptions {
  return {
    templates: compileTemplates(settings.templateSources),
    accountId: settings.accountId ?? undefined,
  };
}

/** Options of {@link createMapper}. */
export interface MapperOptions {
  /** The template set; default: the bundled templates, compiled once per process. */
  readonly templates?: CompiledTemplates;
  /** The account id `fetchAccountId()` returns, for events that do not carry one; default null. */
  readonly accountId?: string;
}

let defaultTemplates: CompiledTemplates | undefined;

/**
 * Creates a mapper. Templates are compiled before, once; a mapper only renders.
 *
 * @example
 * ```ts
 * const mapper = createMapper({ accountId: '111122223333' });
 * const result = mapper.map(TableName.events, line);
 * if (result.ok) for (const event of result.value) console.log(event.channel, event.status);
 * else console.error(`${result.error.kind}: ${result.error.message}`);
 * ```
 */
export function createMapper(options: MapperOptions = {}): Mapper {
  const templates = options.templates ?? (defaultTemplates ??= compileTemplates(defaultTemplateSources()));
  return new VelocityMapper(templates, options.accountId ?? null);
}

class VelocityMapper implements Mapper {
  private readonly scope: HelperScope;
  private readonly helpers: TemplateHelpers;
  readonly settings: MapperSettings;

  constructor(
    private readonly templates: CompiledTemplates,
    accountId: string | null,
  ) {
    this.scope = { accountId, originalEvent: undefined, rawEventText: '' };
    this.helpers = templateHelpersOf(this.scope);
    const templateSources = Object.fromEntries(
      Object.values(TemplateName).map((name) => [name, templates[name].source]),
    );
    this.settings = { templateSources: templateSources as TemplateSources, accountId };
  }

  map<Table extends TableName>(table: Table, rawText: string): MappingResult<Table> {
    switch (table) {
      case TableName.events:
        return this.mapEvent(rawText) as MappingResult<Table>;
      case TableName.conversations:
        return this.mapConversation(rawText) as MappingResult<Table>;
      default:
        throw new MapperError(
          `map: table is ${JSON.stringify(table)}, expected ${Object.values(TableName).join(' or ')}. ` +
            "Pass one of TableName's values (check a table name given at run time with isTableName).",
        );
    }
  }

  private mapEvent(rawText: string): MappingResult<'events'> {
    try {
      return this.mapEventOrThrow(rawText);
    } catch (error) {
      return failure(MappingFailureKind.templateError, `mapping stopped: ${messageOf(error)}`);
    } finally {
      this.scope.originalEvent = undefined;
      this.scope.rawEventText = '';
    }
  }

  private mapConversation(rawText: string): MappingResult<'conversations'> {
    try {
      const parsed = parseRecord(rawText);
      if (!parsed.ok) return parsed;
      const result = conversationOf(parsed.value);
      if (!result.ok) {
        const { message, path } = result.error;
        return failure(MappingFailureKind.invalidRecord, `conversation record: ${message}`, { path });
      }
      return { ok: true, value: [result.value] };
    } catch (error) {
      return failure(MappingFailureKind.invalidRecord, `conversation record: ${messageOf(error)}`);
    }
  }

  private mapEventOrThrow(rawText: string): MappingResult<'events'> {
    const parsed = parseRecord(rawText);
    if (!parsed.ok) return parsed;
    // The record as received, without the line break or indentation around it: a pretty-printed
    // file and the same document as one line of a stream keep the same rawEvent text.
    const unwrapped = unwrapEnvelope(parsed.value, rawText.trim());
    if (!unwrapped.ok) {
      const { message, path } = unwrapped.error;
      const kind = path === '$' ? MappingFailureKind.unknownSource : MappingFailureKind.invalidRecord;
      return failure(kind, message, { path });
    }
    const { event, rawEventText } = unwrapped.value;
    const source = detectSource(event);
    switch (source) {
      case EventSource.sesEvent:
      case EventSource.sesNotification:
      case EventSource.endUserMessaging: {
        const name = source === EventSource.endUserMessaging ? TemplateName.messaging : TemplateName.ses;
        const template = this.templates[name];
        return this.renderRows(rawEventText, 1, () => ({
          template,
          position: 0,
          event,
          eventText: rawEventText,
          context: { ...event },
        }));
      }
      case EventSource.whatsapp: {
        const fanOut = fanOutWhatsApp(event);
        if (!fanOut.ok) {
          const { message, path } = fanOut.error;
          return failure(MappingFailureKind.invalidRecord, message, { path });
        }
        const units = fanOut.value;
        return this.renderRows(rawEventText, units.length, (i) =>
          this.whatsAppJob(event, rawEventText, units[i]),
        );
      }
      default:
        return failure(MappingFailureKind.unknownSource, unknownSourceMessage(event), { path: '$' });
    }
  }

  // A fan-out row stands for its own unit: the template sees, and rawEvent holds, the event with the
  // entry narrowed to this one message or status, so an entry's rows grow with it linearly.
  private whatsAppJob(event: Record<string, unknown>, rawEventText: string, unit: WhatsAppUnit): RenderJob {
    const narrowed = narrowToUnit(event, unit);
    const detected = {
      kind: unit.kind,
      type: unit.type,
      status: unit.status,
      statusCode: unit.statusCode,
      statusMessage: unit.statusMessage,
      position: unit.position,
      item: unit.item,
    };
    return {
      template:
        this.templates[unit.kind === 'message' ? TemplateName.whatsappMessage : TemplateName.whatsappStatus],
      position: unit.position,
      event: narrowed.event,
      eventText: narrowed.whole ? rawEventText : JSON.stringify(narrowed.event),
      context: { ...narrowed.event, parsedWhatsAppWebhookEntry: narrowed.entry, unit: detected },
    };
  }

  /**
   * Renders the rows of one raw event, each made when its turn comes, under one budget for the record.
   * `eventId`s hash the whole raw event text and the row's position, whatever each row's rawEvent holds.
   */
  private renderRows(
    rawEventText: string,
    count: number,
    jobAt: (index: number) => RenderJob,
  ): MappingResult<'events'> {
    const budget = new RenderBudget(recordLimits(rawEventText.length, count));
    const eventIdAt = eventIdsOf(rawEventText);
    const rows: CanonicalEvent[] = [];
    for (let index = 0; index < count; index++) {
      const job = jobAt(index);
      const name = job.template.name as TemplateName;
      // Set last, so that no field of the event can hide them.
      job.context.originalEvent = job.event;
      job.context.jsonTool = '';
      this.scope.originalEvent = job.event;
      this.scope.rawEventText = job.eventText;
      let output;
      try {
        budget.chars(job.eventText.length);
        output = job.template.render(job.context, this.helpers, budget);
      } catch (error) {
        if (error instanceof RenderBudgetExceeded) {
          const message = `template ${name}: render budget exceeded: ${error.message}`;
          return failure(MappingFailureKind.renderBudget, message, { template: name, limit: error.limit });
        }
        return failure(MappingFailureKind.templateError, `template ${name}: ${messageOf(error)}`, {
          template: name,
        });
      }
      if (!output.ok) {
        return failure(
          MappingFailureKind.invalidOutput,
          `template ${name} rendered text that is not JSON: ${output.error}`,
          { template: name },
        );
      }
      const row = eventRowOf(output.value, job.eventText, eventIdAt(job.position));
      if (!row.ok) {
        const { kind, message, path } = row.error;
        return failure(kind, `template ${name}: ${message}`, { path, template: name });
      }
      rows.push(row.value);
    }
    return { ok: true, value: rows };
  }
}

interface RenderJob {
  readonly template: VelocityTemplate;
  readonly position: number;
  /** The event the row stands for (the template's `$originalEvent`) and its text, the row's default rawEvent. */
  readonly event: Record<string, unknown>;
  readonly eventText: string;
  readonly context: Record<string, unknown>;
}

function parseRecord(rawText: string): Result<unknown, MappingFailure> {
  if (typeof rawText !== 'string') {
    return failure(MappingFailureKind.unparseableJson, `record is not text: got ${typeof rawText}`);
  }
  // Blank input is no record at all; JSON.parse would only say "Unexpected end of JSON input".
  if (!/\S/.test(rawText)) {
    return failure(
      MappingFailureKind.unparseableJson,
      'the record is empty or only whitespace; expected one JSON document',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(rawText);
  } catch (error) {
    return failure(MappingFailureKind.unparseableJson, `record is not JSON: ${messageOf(error)}`);
  }
  if (jsonNestsTooDeep(rawText)) {
    return failure(
      MappingFailureKind.invalidRecord,
      `the record's arrays and objects nest more than ${maximumJsonDepth} levels deep; no event does`,
      { path: '$' },
    );
  }
  return { ok: true, value };
}

// `path` and `template` are left out, not undefined, when unknown: failures are compared and written as plain data.
function failure(
  kind: MappingFailureKind,
  message: string,
  {
    path,
    template,
    limit,
  }: { readonly path?: string; readonly template?: TemplateName; readonly limit?: RenderLimit } = {},
): { ok: false; error: MappingFailure } {
  return {
    ok: false,
    error: {
      kind,
      message,
      ...(path === undefined ? {} : { path }),
      ...(template === undefined ? {} : { template }),
      ...(limit === undefined ? {} : { limit }),
    },
  };
}

function unknownSourceMessage(event: Record<string, unknown>): string {
  const keys = Object.keys(event);
  const shown = keys
    .slice(0, 8)
    .map((key) => JSON.stringify(key))
    .join(', ');
  return (
    `no known event at $: expected SES (mail with eventType or notificationType), End User Messaging ` +
    `(eventType TEXT_*, MEDIA_* or VOICE_* with messageId) or WhatsApp (whatsAppWebhookEntry), ` +
    `got an object with keys [${shown}${keys.length > 8 ? ', ...' : ''}]`
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').join(' ') : String(error);
}
