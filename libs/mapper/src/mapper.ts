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
import {
  type CompiledTemplates,
  type RenderableTemplate,
  TemplateEngine,
  compileTemplates,
} from './compile-templates';
import { MapperError } from './errors';
import type { MappedLine } from './mapped-line';
import { conversationOf } from './internal/conversation-record';
import { eventIdsOf, eventRowOf } from './internal/event-row';
import { RenderBudget, RenderBudgetExceeded, recordLimits } from './internal/render-budget';
import type { RenderEnv } from './internal/template-compiler';
import { type HelperScope, templateHelpersOf } from './internal/template-helpers';
import type { TemplateHelpers } from './internal/template-sandbox';
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
   * {@link Mapper.map}, each row given as its JSON line (exactly `JSON.stringify(row)`) with its
   * channel and timestamp, for a writer that stores lines: a compiled template writes the line from
   * its columns in one `JSON.stringify` of a literal of fixed shape (measured faster than joining
   * each field's JSON), the row object never made.
   *
   * @example
   * ```ts
   * const result = mapper.mapLines(TableName.events, line);
   * if (result.ok) for (const row of result.value) out.write(`${row.text}\n`);
   * ```
   */
  mapLines(table: TableName, rawText: string): Result<MappedLine[], MappingFailure>;
  /**
   * What this mapper was made of, as plain data that can cross to a worker thread, where
   * `createMapper(mapperOptionsOf(mapper.settings))` makes the same mapper again.
   */
  readonly settings: MapperSettings;
}

/** A mapper's template texts, account id and engine, as plain data. */
export interface MapperSettings {
  readonly templateSources: TemplateSources;
  readonly accountId: string | null;
  readonly engine?: TemplateEngine;
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
    engine: settings.engine,
  };
}

/** Options of {@link createMapper}. */
export interface MapperOptions {
  /** The template set; default: the bundled templates, compiled once per process. */
  readonly templates?: CompiledTemplates;
  /** The account id `fetchAccountId()` returns, for events that do not carry one; default null. */
  readonly accountId?: string;
  /**
   * `compiled` (the default): templates run as the JavaScript they were compiled to, those the
   * compiler does not support interpreted. `interpreted`: every template interpreted by velocityjs,
   * the reference the compiled ones are checked against.
   */
  readonly engine?: TemplateEngine;
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
  return new VelocityMapper(templates, options.accountId ?? null, options.engine ?? TemplateEngine.compiled);
}

/** A record parsed, unwrapped and routed: the rows it will give, each with its template. */
type RoutedRecord =
  | {
      readonly whatsapp: false;
      readonly event: Record<string, unknown>;
      readonly rawEventText: string;
      readonly template: RenderableTemplate;
    }
  | {
      readonly whatsapp: true;
      readonly event: Record<string, unknown>;
      readonly rawEventText: string;
      readonly units: WhatsAppUnit[];
    };

/** Thrown out of a compiled render to have the record interpreted. */
class Interpret extends Error {}

/** What the compiled templates make of a record on their own (see {@link VelocityMapper.compiledOnly}). */
export interface CompiledOnly {
  /** The templates the record renders with, in row order (none when it never reached a template). */
  readonly templates: readonly TemplateName[];
  /** The rows and their lines, or undefined when the compiled code hands the record to the interpreter. */
  readonly rows: CanonicalEvent[] | undefined;
  readonly lines: MappedLine[] | undefined;
}

/** The mapper `createMapper` makes; besides {@link Mapper}, what the engine comparison needs. */
export class VelocityMapper implements Mapper {
  private readonly scope: HelperScope;
  private readonly helpers: TemplateHelpers;
  private readonly templates: Readonly<Record<TemplateName, RenderableTemplate>>;
  private readonly compiled: boolean;
  // One environment for every compiled render of this mapper, refilled for each row.
  private readonly env: RenderEnv;
  readonly settings: MapperSettings;

  constructor(set: CompiledTemplates, accountId: string | null, engine: TemplateEngine) {
    this.templates = set.templates as Record<TemplateName, RenderableTemplate>;
    this.compiled = engine === TemplateEngine.compiled;
    this.scope = { accountId, originalEvent: undefined, rawEventText: '' };
    this.helpers = templateHelpersOf(this.scope);
    // Compiled templates never write into data, so the JSON text of a helper result can wait until read.
    const compiledHelpers = templateHelpersOf(this.scope, 'deferred');
    this.env = {
      event: {},
      originalEvent: undefined,
      eventText: '',
      eventId: '',
      helpers: compiledHelpers,
      calls: Object.assign(Object.create(null) as object, Object.fromEntries(compiledHelpers)),
      entry: undefined,
      unit: undefined,
    };
    const templateSources = Object.fromEntries(
      Object.values(TemplateName).map((name) => [name, this.templates[name].source]),
    );
    this.settings = { templateSources: templateSources as TemplateSources, accountId, engine };
  }

  map<Table extends TableName>(table: Table, rawText: string): MappingResult<Table> {
    switch (table) {
      case TableName.events:
        return this.mapEvent(rawText, false) as MappingResult<Table>;
      case TableName.conversations:
        return this.mapConversation(rawText) as MappingResult<Table>;
      default:
        throw unknownTable(table);
    }
  }

  mapLines(table: TableName, rawText: string): Result<MappedLine[], MappingFailure> {
    switch (table) {
      case TableName.events:
        return this.mapEvent(rawText, true) as Result<MappedLine[], MappingFailure>;
      case TableName.conversations: {
        const result = this.mapConversation(rawText);
        if (!result.ok) return result;
        return { ok: true, value: result.value.map(lineOf) };
      }
      default:
        throw unknownTable(table);
    }
  }

  private mapEvent(
    rawText: string,
    asLines: boolean,
  ): Result<(CanonicalEvent | MappedLine)[], MappingFailure> {
    try {
      const routed = this.route(rawText);
      if (!routed.ok) return routed;
      if (this.compiled) {
        try {
          return { ok: true, value: this.renderCompiled(routed.value, asLines) };
        } catch (error) {
          if (!(error instanceof Interpret)) throw error;
        }
      }
      const rows = this.renderInterpreted(routed.value);
      return rows.ok && asLines ? { ok: true, value: rows.value.map(lineOf) } : rows;
    } catch (error) {
      return failure(MappingFailureKind.templateError, `mapping stopped: ${messageOf(error)}`);
    } finally {
      this.scope.originalEvent = undefined;
      this.scope.rawEventText = '';
      this.env.event = {};
      this.env.originalEvent = this.env.entry = this.env.unit = undefined;
    }
  }

  /**
   * The rows (and lines) the compiled templates make of an event record by themselves, without the
   * interpreter taking over: for comparing the two engines.
   */
  compiledOnly(rawText: string): CompiledOnly {
    const routed = this.route(rawText);
    if (!routed.ok) return { templates: [], rows: undefined, lines: undefined };
    const record = routed.value;
    const templates = record.whatsapp
      ? record.units.map((unit) => this.templateOf(unit).name)
      : [record.template.name];
    try {
      return {
        templates,
        rows: this.renderCompiled(record, false) as CanonicalEvent[],
        lines: this.renderCompiled(record, true) as MappedLine[],
      };
    } catch (error) {
      if (error instanceof Interpret) return { templates, rows: undefined, lines: undefined };
      throw error;
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

  /** Parses the record, takes its envelopes off, finds its source and, for WhatsApp, its units. */
  private route(rawText: string): Result<RoutedRecord, MappingFailure> {
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
        return { ok: true, value: { whatsapp: false, event, rawEventText, template: this.templates[name] } };
      }
      case EventSource.whatsapp: {
        const fanOut = fanOutWhatsApp(event);
        if (!fanOut.ok) {
          const { message, path } = fanOut.error;
          return failure(MappingFailureKind.invalidRecord, message, { path });
        }
        return { ok: true, value: { whatsapp: true, event, rawEventText, units: fanOut.value } };
      }
      default:
        return failure(MappingFailureKind.unknownSource, unknownSourceMessage(event), { path: '$' });
    }
  }

  private templateOf(unit: WhatsAppUnit): RenderableTemplate {
    return this.templates[
      unit.kind === 'message' ? TemplateName.whatsappMessage : TemplateName.whatsappStatus
    ];
  }

  /**
   * Renders the rows of a record with the compiled templates, under one budget for the record as
   * the interpreter has. @throws Interpret where the compiled code cannot prove the interpreter's
   * outcome (a failure, a template that is not compiled): the record is then interpreted.
   */
  private renderCompiled(record: RoutedRecord, asLines: boolean): (CanonicalEvent | MappedLine)[] {
    const { rawEventText } = record;
    const count = record.whatsapp ? record.units.length : 1;
    const budget = new RenderBudget(recordLimits(rawEventText.length, count));
    const eventIdAt = eventIdsOf(rawEventText);
    const env = this.env;
    const rows: (CanonicalEvent | MappedLine)[] = [];
    for (let index = 0; index < count; index++) {
      let render;
      if (record.whatsapp) {
        const unit = record.units[index];
        render = this.templateOf(unit).render;
        if (render === undefined) throw new Interpret();
        const narrowed = narrowToUnit(record.event, unit);
        env.event = narrowed.event;
        env.eventText = narrowed.text ?? rawEventText;
        env.entry = narrowed.entry;
        env.unit = detectedUnit(unit);
        env.eventId = eventIdAt(unit.position);
      } else {
        render = record.template.render;
        if (render === undefined) throw new Interpret();
        env.event = record.event;
        env.eventText = rawEventText;
        env.eventId = eventIdAt(0);
      }
      env.originalEvent = env.event;
      this.scope.originalEvent = env.event;
      this.scope.rawEventText = env.eventText;
      try {
        budget.chars(env.eventText.length);
        rows.push(render(env, budget, asLines));
      } catch {
        // BAIL, a budget that ends, a helper that throws: the interpreter gives the outcome.
        throw new Interpret();
      }
    }
    return rows;
  }

  private renderInterpreted(record: RoutedRecord): MappingResult<'events'> {
    if (!record.whatsapp) {
      const { template, event, rawEventText } = record;
      return this.renderRows(rawEventText, 1, () => ({
        template,
        position: 0,
        event,
        eventText: rawEventText,
        context: { ...event },
      }));
    }
    const { event, rawEventText, units } = record;
    return this.renderRows(rawEventText, units.length, (i) =>
      this.whatsAppJob(event, rawEventText, units[i]),
    );
  }

  // A fan-out row stands for its own unit: the template sees, and rawEvent holds, the event with the
  // entry narrowed to this one message or status, so an entry's rows grow with it linearly.
  private whatsAppJob(event: Record<string, unknown>, rawEventText: string, unit: WhatsAppUnit): RenderJob {
    const narrowed = narrowToUnit(event, unit);
    return {
      template: this.templateOf(unit),
      position: unit.position,
      event: narrowed.event,
      eventText: narrowed.text ?? rawEventText,
      context: { ...narrowed.event, parsedWhatsAppWebhookEntry: narrowed.entry, unit: detectedUnit(unit) },
    };
  }

  /**
   * Renders the rows of one raw event with the interpreter, each made when its turn comes, under one
   * budget for the record. `eventId`s hash the whole raw event text and the row's position, whatever
   * each row's rawEvent holds.
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
      const name = job.template.name;
      // Set last, so that no field of the event can hide them.
      job.context.originalEvent = job.event;
      job.context.jsonTool = '';
      this.scope.originalEvent = job.event;
      this.scope.rawEventText = job.eventText;
      let output;
      try {
        budget.chars(job.eventText.length);
        output = job.template.interpreter.render(job.context, this.helpers, budget);
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
  readonly template: RenderableTemplate;
  readonly position: number;
  /** The event the row stands for (the template's `$originalEvent`) and its text, the row's default rawEvent. */
  readonly event: Record<string, unknown>;
  readonly eventText: string;
  readonly context: Record<string, unknown>;
}

/** `$unit`: what the detector found about a WhatsApp unit. */
function detectedUnit(unit: WhatsAppUnit): Record<string, unknown> {
  return {
    kind: unit.kind,
    type: unit.type,
    status: unit.status,
    statusCode: unit.statusCode,
    statusMessage: unit.statusMessage,
    position: unit.position,
    item: unit.item,
  };
}

function lineOf(row: { readonly channel: string; readonly timestamp: number }): MappedLine {
  return { text: JSON.stringify(row), channel: row.channel, timestamp: row.timestamp };
}

function unknownTable(table: unknown): MapperError {
  return new MapperError(
    `map: table is ${JSON.stringify(table)}, expected ${Object.values(TableName).join(' or ')}. ` +
      "Pass one of TableName's values (check a table name given at run time with isTableName).",
  );
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
