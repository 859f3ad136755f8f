import { type CanonicalEvent, eventColumns } from '@engagement-db/canonical-model';
import type { MappedLine } from '../mapped-line';
import { CodeWriter } from './code-writer';
import { BAIL, compiledRuntime } from './compiled-runtime';
import { mapValueText, wellFormed } from './event-row';
import type { RenderBudget } from './render-budget';
import { helperNames } from './template-helpers';
import type { TemplateHelper, TemplateHelpers } from './template-sandbox';
import {
  type AttributeNode,
  type ConditionNode,
  type ForeachNode,
  type LiteralNode,
  type MathNode,
  type ReferenceNode,
  type SetNode,
  type VelocityNode,
  blockType,
  parseTemplate,
  referenceText,
} from './velocity-ast';

/*
 * Compiles a parsed Velocity template into a JavaScript function that builds the row directly.
 *
 * The function does what the interpreter (velocity-template.ts) does, node for node: every value
 * access, call and write goes through the template sandbox's functions (a read with a key written in
 * the template through memberOf's map or list branch written out in place, a helper call through
 * callMethod's helper branch; see `read` and `attribute`), every step and character
 * the interpreter charges to the render budget is charged (fixed charges summed per block), and
 * `#set`, `#if`/`#elseif`/`#else`, `#foreach` and `#break` keep the interpreter's scoping. What the
 * interpreter renders as text and then reads as JSON (the skeleton) is read here, at compile time:
 * the template's text is scanned as JSON once, so the function builds objects, lists and strings
 * where the reader would, and where the output object is the row (constant field names, each set at
 * most once) it writes columns directly, `tags` and `channelData` keys lower-cased at compile time,
 * with eventRowOf's treatment and validateRow's check folded in per field.
 *
 * The function proves nothing it cannot: wherever the interpreter could fail (a row that breaks the
 * schema, text that is not JSON on some branch, an exception, a budget that ends), it throws BAIL and
 * the mapper interprets the record instead, so compiled and interpreted mapping give identical
 * results. A construct the compiler does not know makes the whole template interpreted, with the
 * reason (a {@link TemplateCompilation} that is not ok).
 *
 * What runs is code the compiler wrote from the parsed template: the template's text reaches the
 * source only as entries of a constants array (`k[i]`) or as JSON string literals (`t["key"]`, see
 * `keyLiteral`), which no text can end, used only as property keys and arguments.
 */

/** What a compiled render reads: the event the row stands for and what the mapper decided about it. */
export interface RenderEnv {
  /**
   * The event whose fields the template sees (for a WhatsApp unit, the event narrowed to it): always
   * a plain object, as JSON.parse or an object literal makes it.
   */
  event: Record<string, unknown>;
  /** `$originalEvent`: the same event. */
  originalEvent: unknown;
  /** The row's default rawEvent: the event's text. */
  eventText: string;
  eventId: string;
  helpers: TemplateHelpers;
  /** The same helpers by name, for calls the compiler resolves to a helper (every helper is in `helpers`). */
  calls: Readonly<Record<string, TemplateHelper>>;
  /** WhatsApp: `$parsedWhatsAppWebhookEntry` and `$unit`. */
  entry: unknown;
  unit: unknown;
}

/** A compiled template: the row of one render, or its JSON line. @throws BAIL, RenderBudgetExceeded, or whatever a helper throws. */
export type CompiledRender = (
  env: RenderEnv,
  budget: RenderBudget,
  asLine: boolean,
) => CanonicalEvent | MappedLine;

/** The fields a template sees besides the event's: the same for SES and SMS, more for WhatsApp. */
export type ContextShape = 'event' | 'whatsapp';

export type TemplateCompilation =
  | { readonly ok: true; readonly render: CompiledRender; readonly code: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Compiles one parsed template for a context shape.
 *
 * @example compileTemplate(parseTemplate(source), 'event') // { ok: true, render, code } or { ok: false, reason }
 */
export function compileTemplate(asts: readonly VelocityNode[], shape: ContextShape): TemplateCompilation {
  try {
    const analysis = analyse(asts);
    const survey = new Generator(asts, shape, analysis, undefined);
    survey.run();
    const generator = new Generator(asts, shape, analysis, decideModes(survey));
    const body = generator.run();
    const code = `"use strict";\nconst { ${Object.keys(compiledRuntime).join(', ')} } = rt;\n${body}`;
    // The source is the compiler's own text (see above): template text only as `k[i]` or JSON string literals.
    const factory = new Function('rt', 'k', code) as (
      runtime: typeof compiledRuntime,
      constants: readonly unknown[],
    ) => CompiledRender;
    return { ok: true, render: factory(compiledRuntime, Object.freeze(generator.constants)), code };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    // A mistake of the compiler's own must not stop anyone's templates: they are interpreted.
    return {
      ok: false,
      reason: `the compiler failed (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/** A construct the compiler leaves to the interpreter; the message says which and where. */
class Unsupported extends Error {
  constructor(what: string, node?: unknown) {
    const pos = (node as { pos?: { first_line?: number; first_column?: number } } | undefined)?.pos;
    super(
      pos?.first_line === undefined
        ? what
        : `${what} (line ${pos.first_line}, column ${(pos.first_column ?? 0) + 1})`,
    );
    this.name = 'Unsupported';
  }
}

interface Analysis {
  /** Names some `#set` assigns: they may hide the context's field of the same name. */
  readonly setNames: ReadonlySet<string>;
  /** Double-quoted strings evaluated as templates: their nodes, or null when they do not parse. */
  readonly strings: ReadonlyMap<string, VelocityNode[] | null>;
}

// Loop variables the interpreter handles specially (they are not written, or are overwritten).
const reservedLoopNames = new Set(['__proto__', 'constructor', 'prototype', 'foreach', 'velocityCount']);
// Methods that write into maps and lists: a value placed in the output could change after it was
// placed, which the reader would see, as it reads the output after the render.
const writingMethods = new Set(['put', 'add']);

function isEvalString(literal: LiteralNode): boolean {
  const text = literal.value as string;
  return literal.isEval === true && (text.includes('#') || text.includes('$'));
}

/** Checks every construct is one the compiler knows, and collects what code generation needs to know first. */
function analyse(asts: readonly VelocityNode[]): Analysis {
  const setNames = new Set<string>();
  const strings = new Map<string, VelocityNode[] | null>();

  const literal = (node: VelocityNode): void => {
    const value = node as unknown as LiteralNode;
    switch (value.type) {
      case 'string': {
        const text = value.value as string;
        if (!isEvalString(value) || strings.has(text)) return;
        let parsed: VelocityNode[] | null = null;
        try {
          parsed = parseTemplate(text);
        } catch {
          // The interpreter fails when it evaluates this string; compiled code bails there.
        }
        strings.set(text, parsed);
        if (parsed !== null) list(parsed);
        return;
      }
      case 'integer':
      case 'decimal':
      case 'bool':
        return;
      case 'array': {
        const items = value.value as unknown[];
        for (const item of items)
          if (typeof item === 'object' && item !== null) literal(item as VelocityNode);
        return;
      }
      case 'map':
        for (const item of Object.values((value.value ?? {}) as Record<string, VelocityNode>)) literal(item);
        return;
      case 'references':
        reference(node as unknown as ReferenceNode);
        return;
      case 'math':
        for (const operand of (node as unknown as MathNode).expression) literal(operand);
        return;
      default:
        throw new Unsupported(`a ${String(value.type)} value`, node);
    }
  };

  const reference = (node: ReferenceNode): void => {
    if (node.args !== undefined)
      throw new Unsupported(`a call of the context itself ($${node.id}(...))`, node);
    for (const step of node.path ?? []) {
      if (step.type === 'index') {
        const key = step.id as unknown as LiteralNode;
        if (key.type === 'references') reference(key as unknown as ReferenceNode);
      } else if (step.type === 'method') {
        if (writingMethods.has(step.id as string))
          throw new Unsupported(`a write into a map or list (.${step.id as string}(...))`, node);
        if (Array.isArray(step.args)) for (const arg of step.args) literal(arg);
      }
    }
  };

  const list = (nodes: readonly VelocityNode[]): void => {
    for (const node of nodes as unknown[]) {
      if (typeof node === 'string') continue;
      if (Array.isArray(node)) {
        block(node as VelocityNode[]);
        continue;
      }
      const typed = node as { type: string };
      switch (typed.type) {
        case 'references':
          reference(node as ReferenceNode);
          break;
        case 'set': {
          const [target, value] = (node as SetNode).equal;
          if ((target.path ?? []).length > 0)
            throw new Unsupported(`a #set of a field (${referenceText(target)} = ...)`, node);
          setNames.add(target.id);
          literal(value);
          break;
        }
        case 'comment':
        case 'raw':
        case 'break':
          break;
        case 'macro_call':
          throw new Unsupported(`#${(node as { id: string }).id}(...)`, node);
        default:
          throw new Unsupported(`#${typed.type}`, node);
      }
    }
  };

  const block = (nodes: VelocityNode[]): void => {
    const head = nodes[0] as unknown as { type: string; to?: string };
    switch (head.type) {
      case 'if':
        for (const node of nodes as unknown[]) {
          const condition = (node as ConditionNode | undefined)?.condition;
          if (typeof node === 'object' && node !== null && !Array.isArray(node) && condition !== undefined)
            literal(condition);
        }
        list(nodes.filter((node) => !isCondition(node)));
        return;
      case 'foreach': {
        const loop = head as unknown as ForeachNode;
        if (reservedLoopNames.has(loop.to))
          throw new Unsupported(`a #foreach variable named ${loop.to}`, head);
        literal(loop.from);
        list(nodes.slice(1));
        return;
      }
      default:
        throw new Unsupported(`#${head.type}`, head);
    }
  };

  list(asts);
  return { setNames, strings };
}

function isCondition(node: unknown): boolean {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const type = (node as { type?: string }).type;
  return type === 'if' || type === 'elseif' || type === 'else';
}

/** The branches of an `#if` block, in order: the condition (none for #else) and its nodes. */
function branchesOf(nodes: readonly VelocityNode[]): { condition?: VelocityNode; body: VelocityNode[] }[] {
  const branches: { condition?: VelocityNode; body: VelocityNode[] }[] = [];
  for (const node of nodes as unknown[]) {
    if (isCondition(node)) {
      const condition = node as ConditionNode;
      // As velocityjs: the first #else ends the choice; anything after it is never rendered.
      if (branches.length > 0 && branches[branches.length - 1].condition === undefined) break;
      branches.push({ condition: condition.type === 'else' ? undefined : condition.condition, body: [] });
    } else {
      branches[branches.length - 1]?.body.push(node as VelocityNode);
    }
  }
  return branches;
}

// ---- the output as JSON, read at compile time -------------------------------------------------

/** What {@link Generator.lookup} gives for a field of the event itself (read where it is used). */
const eventField = 'E.event[field]';

/** A complete JSON value of the output: a constant, a string built at run time, a token's value, or a container. */
type ValueRef =
  | { readonly kind: 'const'; readonly value: string | number | boolean | null }
  | { readonly kind: 'text'; readonly expr: string }
  | { readonly kind: 'hole'; readonly temp: string }
  | { readonly kind: 'frame'; readonly id: number };

type FrameKind = 'document' | 'object' | 'array';
/** document: value, done; object: open (member or }), colon, value, after (, or }); array: open (value or ]), after. */
type Position = 'value' | 'done' | 'open' | 'colon' | 'after';

interface Frame {
  readonly id: number;
  readonly kind: FrameKind;
  pos: Position;
  /** The id of the string holding the key whose value comes next (object frames). */
  keyId?: number;
}

type Token =
  | { readonly kind: 'string'; readonly id: number; readonly role: 'key' | 'value'; escape: string }
  | { readonly kind: 'number'; text: string }
  | { readonly kind: 'keyword'; readonly word: string; seen: number };

interface ScanState {
  readonly frames: Frame[];
  token: Token | undefined;
  /** The render always bails before this point (this path's output is not JSON). */
  dead: boolean;
}

function copyState(state: ScanState): ScanState {
  return {
    frames: state.frames.map((frame) => ({ ...frame })),
    token: state.token === undefined ? undefined : { ...state.token },
    dead: state.dead,
  };
}

function sameState(a: ScanState, b: ScanState): boolean {
  if (a.frames.length !== b.frames.length) return false;
  for (let i = 0; i < a.frames.length; i++) {
    const [x, y] = [a.frames[i], b.frames[i]];
    if (x.id !== y.id || x.pos !== y.pos || x.keyId !== y.keyId) return false;
  }
  return JSON.stringify(a.token) === JSON.stringify(b.token);
}

/** What the survey pass learns about each object and list of the output. */
interface FrameInfo {
  readonly id: number;
  readonly kind: FrameKind;
  readonly parent: number | undefined;
  /** The constant key this container is the value of, in its parent object. */
  readonly parentKey: string | undefined;
  /** Opened outside every #if and #foreach. */
  readonly topLevel: boolean;
  dynamicKeys: boolean;
  /** The largest number of times any path sets each constant key. */
  readonly keyCounts: Map<string, number>;
}

type FrameMode =
  | { readonly kind: 'generic' }
  | { readonly kind: 'row' }
  | { readonly kind: 'map'; readonly keepEmpty: boolean };

interface Modes {
  readonly frames: ReadonlyMap<number, FrameMode>;
  /** Strings with an #if or #foreach inside: built in a variable. */
  readonly accumulated: ReadonlySet<number>;
}

const columnNames: readonly string[] = eventColumns.map((column) => column.name);
const textColumns = new Set<string>(
  eventColumns
    .filter((column) => column.kind === 'string' && !('values' in column) && column.name !== 'eventId')
    .map((column) => column.name),
);

function decideModes(survey: Generator): Modes {
  const frames = new Map<number, FrameMode>();
  const eachOnce = (info: FrameInfo) =>
    !info.dynamicKeys && [...info.keyCounts.values()].every((n) => n <= 1);
  for (const info of survey.frameInfos.values()) {
    const parent = info.parent === undefined ? undefined : survey.frameInfos.get(info.parent);
    if (info.kind === 'object' && parent?.kind === 'document' && info.topLevel && eachOnce(info))
      frames.set(info.id, { kind: 'row' });
  }
  for (const info of survey.frameInfos.values()) {
    const parentMode = info.parent === undefined ? undefined : frames.get(info.parent);
    const keys = [...info.keyCounts.keys()];
    if (
      info.kind === 'object' &&
      parentMode?.kind === 'row' &&
      (info.parentKey === 'tags' || info.parentKey === 'channelData') &&
      eachOnce(info) &&
      keys.every((key) => storedKey(key) !== '__proto__')
    )
      frames.set(info.id, { kind: 'map', keepEmpty: info.parentKey === 'tags' });
  }
  return { frames, accumulated: survey.accumulated };
}

/** A `tags` or `channelData` key as stored. */
function storedKey(key: string): string {
  return wellFormed(key.toLowerCase());
}

// ---- code generation --------------------------------------------------------------------------

interface LoopScope {
  readonly variable: string;
  readonly item: string;
  readonly foreach: string;
  readonly count: string;
}

/** A string being read: its parts so far (when built at once at its end) or its variable. */
interface StringBuild {
  readonly variable?: string;
  readonly parts: ({ literal: string } | { hole: string })[];
  pendingLiteral: string;
}

class Generator {
  readonly constants: unknown[] = [];
  private readonly constantIndex = new Map<string, number>();
  private readonly code = new CodeWriter();
  private temps = 0;
  private readonly globals = new Map<string, string>();
  private readonly loops: LoopScope[] = [];
  private loopCount = 0;
  private blockDepth = 0;
  private state: ScanState;
  private frameCount = 0;
  private stringCount = 0;
  private readonly strings = new Map<number, StringBuild>();
  private readonly values = new Map<number, ValueRef>();
  private readonly frameVars: string[] = [];
  private readonly frameKinds = new Map<number, FrameKind>();
  /** Survey only: what each container holds, and which strings span a block. */
  readonly frameInfos = new Map<number, FrameInfo>();
  readonly accumulated = new Set<number>();
  private readonly keyCountScopes: Map<string, number>[] = [new Map()];

  constructor(
    private readonly asts: readonly VelocityNode[],
    private readonly shape: ContextShape,
    private readonly analysis: Analysis,
    private readonly modes: Modes | undefined,
  ) {
    for (const name of analysis.setNames) this.globals.set(name, `g${this.globals.size}`);
    const document: Frame = { id: this.frameCount++, kind: 'document', pos: 'value' };
    this.frameInfos.set(document.id, {
      id: document.id,
      kind: 'document',
      parent: undefined,
      parentKey: undefined,
      topLevel: true,
      dynamicKeys: false,
      keyCounts: new Map(),
    });
    this.state = { frames: [document], token: undefined, dead: false };
  }

  /** Writes the function; returns its source (a `return function render(...)`). */
  run(): string {
    this.structuredList(this.asts);
    this.endOfOutput();
    for (const [slot, count] of this.keyCountScopes[0]) {
      const at = slot.indexOf('\u0000');
      this.frameInfos.get(Number(slot.slice(0, at)))?.keyCounts.set(slot.slice(at + 1), count);
    }
    const body = this.code.text('    ');
    const declarations = [
      this.temps > 0 ? `let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};` : '',
      this.globals.size > 0 ? `let ${[...this.globals.values()].map((g) => `${g} = UNSET`).join(', ')};` : '',
      'let L = 0, tk = 0, brk = false, R = undefined, P, N;',
      `let ${columnNames.map((_, i) => `c${i} = null`).join(', ')};`,
      this.frameVars.length > 0 ? `let ${this.frameVars.join(', ')};` : '',
    ].filter((line) => line !== '');
    return `return function render(E, B, asLine) {\n${declarations.map((line) => `    ${line}`).join('\n')}\n${body}\n};`;
  }

  // -- constants and temporaries

  private constant(value: unknown): string {
    const key = typeof value === 'string' ? `s${value}` : undefined;
    const known = key === undefined ? undefined : this.constantIndex.get(key);
    if (known !== undefined) return `k[${known}]`;
    this.constants.push(value);
    if (key !== undefined) this.constantIndex.set(key, this.constants.length - 1);
    return `k[${this.constants.length - 1}]`;
  }

  private temp(): string {
    return `t${this.temps++}`;
  }

  // -- values: velocityjs' getReferences, getLiteral, getExpression over the sandbox

  /** `$a.b[c].d(e)`: the value, or for `isVal` (a reference written in the text) its text when undefined. */
  private reference(node: ReferenceNode, isVal: boolean): string {
    const t = this.temp();
    const path = node.path ?? [];
    // A read with a key written in the template (`.name`, `[0]`, `['name']`) is written out in place
    // (see read); an index from the data and a method call go through the sandbox (see attribute).
    const keyOf = (step: AttributeNode): string | number | undefined => {
      if (step.type === 'property') return step.id as string;
      const key = step.id as unknown as LiteralNode;
      return step.type === 'index' && key.type !== 'references'
        ? (indexKey(key.value) as string | number)
        : undefined;
    };
    const root = this.lookup(node.id);
    if (root === eventField) this.code.line(`${t} = ${this.eventFieldRead(node.id)};`);
    else this.code.line(`${t} = ${root};`);
    // A run of reads with keys written in the template is checked once, at its end: a value that is
    // not template data gives nothing at the next read anyway (see memberOf).
    let unchecked = root === eventField;
    for (const step of path) {
      const key = keyOf(step);
      if (key === undefined) {
        if (unchecked) this.code.line(`${t} = admitted(${t});`);
        unchecked = false;
        this.attribute(t, step);
      } else {
        this.read(t, key);
        unchecked = true;
      }
    }
    if (unchecked) this.code.line(`${t} = admitted(${t});`);
    // readMember only ever gives template data; a method's result is checked as the interpreter
    // checks every reference: the sandbox lets nothing else through, and should that ever break,
    // the record is interpreted.
    if (node.path?.[node.path.length - 1]?.type === 'method')
      this.code.line(`if (${t} !== undefined && admitted(${t}) === undefined) throw BAIL;`);
    if (isVal) {
      const text = node.leader === '$!' ? '""' : this.constant(referenceText(node));
      this.code.line(`if (${t} === undefined) ${t} = ${text};`);
    }
    return t;
  }

  /**
   * memberOf(t, key) without admitted, its map branch (a field) or list branch (an element)
   * written out here with the key as a literal, so that the read's inline cache learns the shapes of
   * this template's data alone; anything else goes to memberOf itself.
   */
  private read(t: string, key: string | number): void {
    if (typeof key === 'number') {
      this.code.line(
        `${t} = isArray(${t}) && getPrototypeOf(${t}) === arrayPrototype ? (${key} < ${t}.length ? ${t}[${key}] : undefined) : memberOf(${t}, ${key});`,
      );
      return;
    }
    const name = keyLiteral(key);
    this.code.line(
      `${t} = typeof ${t} === "object" && ${t} !== null && ((P = getPrototypeOf(${t})) === objectPrototype || P === null) ? (hasOwn(${t}, ${name}) ? ${t}[${name}] : undefined) : memberOf(${t}, ${name});`,
    );
  }

  /** An index from the data (`[$i]`) or a method call (`.name(...)`), nothing when `t` is null or undefined. */
  private attribute(t: string, step: AttributeNode): void {
    switch (step.type) {
      case 'property':
        throw new Error('compiler: a property read is written out by read()');
      case 'index':
        this.code.block(`if (${t} !== null && ${t} !== undefined)`, () => {
          const index = this.reference(step.id as unknown as ReferenceNode, false);
          this.code.line(`${t} = readMember(${t}, ${index});`);
        });
        this.code.line(`else ${t} = undefined;`);
        return;
      case 'method':
        this.code.block(`if (${t} !== null && ${t} !== undefined)`, () => {
          const args = Array.isArray(step.args) ? step.args.map((arg) => this.literal(arg)) : [];
          const name = step.id as string;
          // callMethod tries the helpers first, and every helper name is in the table: the same call.
          if (helperNames.has(name))
            this.code.line(`${t} = admitted(E.calls[${JSON.stringify(name)}]([${args.join(', ')}], B));`);
          else
            this.code.line(
              `${t} = callMethod(${t}, ${this.constant(name)}, [${args.join(', ')}], E.helpers, B);`,
            );
        });
        this.code.line(`else ${t} = undefined;`);
        return;
    }
  }

  /**
   * A name: the innermost loop's variable, else a #set variable, else the context's field; for a
   * field of the event itself and nothing else, {@link eventField}.
   */
  private lookup(name: string): string {
    const local = this.loopScopeOf(name);
    if (local !== undefined) return local;
    const global = this.globals.get(name);
    const context = this.contextField(name);
    if (global === undefined) return context;
    const field = context === eventField ? `admitted(${this.eventFieldRead(name)})` : context;
    return `(${global} === UNSET ? ${field} : ${global})`;
  }

  /** memberOf's map branch on the event, which is always a plain object (see RenderEnv). */
  private eventFieldRead(name: string): string {
    return `(hasOwn(E.event, ${keyLiteral(name)}) ? E.event[${keyLiteral(name)}] : undefined)`;
  }

  private contextField(name: string): string {
    // Set by the mapper after the event's fields, so no field of the event can hide them.
    if (name === 'jsonTool') return '""';
    if (name === 'originalEvent') return 'E.originalEvent';
    if (this.shape === 'whatsapp' && name === 'parsedWhatsAppWebhookEntry') return 'E.entry';
    if (this.shape === 'whatsapp' && name === 'unit') return 'E.unit';
    return eventField;
  }

  private literal(node: VelocityNode): string {
    this.code.charge(1);
    const literal = node as unknown as LiteralNode;
    switch (literal.type) {
      case 'string': {
        const text = literal.value as string;
        return isEvalString(literal) ? this.evaluatedString(text) : this.constant(text);
      }
      case 'integer':
        return this.constant(parseInt(literal.value as string, 10));
      case 'decimal':
        return this.constant(parseFloat(literal.value as string));
      case 'array': {
        const items = literal.value as (VelocityNode | string | number)[];
        const t = this.temp();
        if (literal.isRange !== true) {
          this.code.line('B.containerBuilt();');
          const values = items.map((item) => this.literal(item as VelocityNode));
          this.code.line(`${t} = [${values.join(', ')}];`);
          return t;
        }
        const [begin, end] = items.map((bound) =>
          typeof bound === 'string' || typeof bound === 'number'
            ? this.constant(bound)
            : this.reference(bound as unknown as ReferenceNode, false),
        );
        this.code.line(`${t} = rangeOf(${begin}, ${end}, B);`);
        return t;
      }
      case 'map': {
        const t = this.temp();
        this.code.line('B.containerBuilt();');
        this.code.line(`${t} = {};`);
        const entries = (literal.value ?? {}) as Record<string, VelocityNode>;
        for (const key of Object.keys(entries)) {
          const value = this.literal(entries[key]);
          this.code.line(`writeMember(${t}, ${this.constant(key)}, ${value}, B);`);
        }
        return t;
      }
      case 'bool':
        return literal.value === 'true' ? 'true' : literal.value === 'false' ? 'false' : 'null';
      default:
        return this.reference(node as unknown as ReferenceNode, false);
    }
  }

  private expression(node: VelocityNode): string {
    this.code.charge(1);
    if ((node as { type: string }).type !== 'math') return this.literal(node);
    const { operator, expression } = node as unknown as MathNode;
    const left = this.expression(expression[0]);
    const t = this.temp();
    switch (operator) {
      case '||':
      case '&&':
        this.code.line(`${t} = ${left};`);
        this.code.block(operator === '||' ? `if (!${t})` : `if (${t})`, () => {
          this.code.line(`${t} = ${this.expression(expression[1])};`);
        });
        return t;
      case 'not':
        this.code.line(`${t} = !${left};`);
        return t;
      case 'parenthesis':
        return left;
      case 'minus':
        this.code.line(`${t} = applyOperator("-", 0, ${left}, B);`);
        return t;
      default: {
        const right = this.expression(expression[1]);
        const general = `applyOperator(${this.constant(operator)}, ${left}, ${right}, B)`;
        // Two strings are equal when identical, whatever else applyOperator would look at.
        const strings = `typeof ${left} === "string" && typeof ${right} === "string"`;
        if (operator === '==') this.code.line(`${t} = ${strings} ? ${left} === ${right} : ${general};`);
        else if (operator === '!=') this.code.line(`${t} = ${strings} ? ${left} !== ${right} : ${general};`);
        else this.code.line(`${t} = ${general};`);
        return t;
      }
    }
  }

  /** A double-quoted string with `$` or `#`: evaluated as a template whose references are plain text. */
  private evaluatedString(text: string): string {
    const asts = this.analysis.strings.get(text);
    if (asts === null || asts === undefined) {
      this.code.line('throw BAIL;');
      return 'undefined';
    }
    const t = this.temp();
    this.code.line(`${t} = "";`);
    this.plainList(asts, t);
    return t;
  }

  // -- directives

  private set(node: SetNode): void {
    const [target, value] = node.equal;
    const scope = this.loopScopeOf(target.id);
    const result = (value as { type: string }).type === 'math' ? this.expression(value) : this.literal(value);
    this.code.line(`${scope ?? this.globals.get(target.id)} = ${result};`);
  }

  /** The variable of the innermost loop scope that has this name, as the interpreter's #set looks for it. */
  private loopScopeOf(name: string): string | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const loop = this.loops[i];
      if (name === loop.variable) return loop.item;
      if (name === 'foreach') return loop.foreach;
      if (name === 'velocityCount') return loop.count;
    }
    return undefined;
  }

  /** `#if` / `#elseif` / `#else`: the first branch whose condition holds, written by `body`. */
  private ifBlock(nodes: VelocityNode[], body: (nodes: VelocityNode[]) => void): void {
    const branches = branchesOf(nodes);
    const chain = (index: number): void => {
      const branch = branches[index];
      if (branch === undefined) return;
      if (branch.condition === undefined) {
        body(branch.body);
        return;
      }
      const condition = this.expression(branch.condition);
      this.code.block(`if (${condition})`, () => body(branch.body));
      if (index + 1 < branches.length) this.code.block('else', () => chain(index + 1));
    };
    chain(0);
  }

  /** `#foreach`: the loop, its scope of variables, and `body` written once for every item. */
  private foreachBlock(nodes: VelocityNode[], body: (nodes: VelocityNode[]) => void): void {
    const head = nodes[0] as unknown as ForeachNode;
    const from = this.literal({ ...(head.from as object), pos: head.pos } as VelocityNode);
    const n = this.loopCount++;
    const scope: LoopScope = { variable: head.to, item: `v${n}`, foreach: `f${n}`, count: `n${n}` };
    const [items, length, index] = [`i${n}`, `l${n}`, `j${n}`];
    this.frameVar(`${scope.item}, ${scope.foreach}, ${scope.count}, ${items}, ${length}, ${index}`);
    this.code.line(`${items} = itemsOf(${from}, B);`);
    this.code.block(`if (${items}.length > 0)`, () => {
      this.code.line(`${length} = ${items}.length;`);
      this.code.block(`for (${index} = 0; ${index} < ${length} && !brk; ${index}++)`, () => {
        this.code.charge(1);
        this.code.line(`${scope.item} = readMember(${items}, ${index});`);
        this.code.line(
          `${scope.foreach} = { count: ${index} + 1, index: ${index}, hasNext: ${index} + 1 < ${length} };`,
        );
        this.code.line(`${scope.count} = ${index} + 1;`);
        this.loops.push(scope);
        try {
          body(nodes.slice(1));
        } finally {
          this.loops.pop();
        }
      });
      this.code.line('brk = false;');
    });
  }

  /** Declares variables at the top of the function. */
  private frameVar(names: string): void {
    this.frameVars.push(names);
  }

  // -- plain text: double-quoted strings

  /** Renders nodes into the string variable `out`, as the interpreter's renderAstList in a double-quoted string. */
  private plainList(nodes: readonly VelocityNode[], out: string): void {
    for (const node of nodes as unknown[]) {
      this.code.charge(1);
      if (typeof node === 'string') {
        this.code.charge(0, node.length);
        if (node !== '') this.code.line(`${out} += ${this.constant(node)};`);
        continue;
      }
      if (Array.isArray(node)) {
        const text = this.temp();
        this.code.line(`${text} = "";`);
        this.block(node as VelocityNode[], (body) => this.plainList(body, text));
        this.code.line(`B.chars(${text}.length);`);
        this.code.line(`${out} += ${text};`);
        continue;
      }
      const typed = node as { type: string; value?: unknown };
      switch (typed.type) {
        case 'references': {
          const value = this.reference(node as ReferenceNode, true);
          const text = this.temp();
          this.code.line(`${text} = textOf(${value}, B);`);
          this.code.line(`B.chars(${text}.length);`);
          this.code.line(`${out} += ${text};`);
          break;
        }
        case 'raw': {
          const text = String(typed.value);
          this.code.charge(0, text.length);
          this.code.line(`${out} += ${this.constant(text)};`);
          break;
        }
        default:
          this.directive(node as VelocityNode);
      }
    }
  }

  private directive(node: VelocityNode): void {
    const typed = node as unknown as { type: string };
    switch (typed.type) {
      case 'set':
        this.set(node as unknown as SetNode);
        return;
      case 'break':
        this.code.line('brk = true;');
        return;
      case 'comment':
        return;
      default:
        throw new Unsupported(`#${typed.type}`, node);
    }
  }

  private block(nodes: VelocityNode[], body: (nodes: VelocityNode[]) => void): void {
    switch (blockType(nodes)) {
      case 'if':
        this.ifBlock(nodes, body);
        return;
      case 'foreach':
        this.foreachBlock(nodes, body);
        return;
      default:
        throw new Unsupported(`#${blockType(nodes)}`, nodes[0]);
    }
  }

  // -- the output: the template's text read as JSON

  private structuredList(nodes: readonly VelocityNode[]): void {
    for (const node of nodes as unknown[]) {
      if (this.state.dead) return;
      this.code.charge(1);
      if (typeof node === 'string') {
        this.text(node);
        continue;
      }
      if (Array.isArray(node)) {
        this.structuredBlock(node as VelocityNode[]);
        continue;
      }
      const typed = node as { type: string; value?: unknown };
      switch (typed.type) {
        case 'references':
          this.hole(this.reference(node as ReferenceNode, true));
          break;
        case 'raw':
          this.text(String(typed.value));
          break;
        default:
          this.directive(node as VelocityNode);
      }
    }
  }

  private structuredBlock(nodes: VelocityNode[]): void {
    const type = blockType(nodes);
    if (type !== 'if' && type !== 'foreach') throw new Unsupported(`#${type}`, nodes[0]);
    this.checkBoundary(nodes[0]);
    const start = `b${this.frameVars.length}`;
    this.frameVar(start);
    this.code.line(`${start} = L;`);
    const open = this.state.token;
    if (open?.kind === 'string') this.accumulateString(open.id);
    const entry = copyState(this.state);
    const exits: ScanState[] = [];
    this.keyCountScopes.push(new Map());
    const branchCounts: Map<string, number>[] = [];
    this.blockDepth++;
    try {
      this.block(nodes, (body) => {
        this.state = copyState(entry);
        const counts = new Map<string, number>();
        this.keyCountScopes.push(counts);
        try {
          this.structuredList(body);
          if (!this.state.dead) {
            this.checkBoundary(nodes[0]);
            const token = this.state.token;
            if (token?.kind === 'string') this.accumulateString(token.id);
          }
        } finally {
          this.keyCountScopes.pop();
        }
        branchCounts.push(counts);
        exits.push(this.state);
      });
    } finally {
      this.blockDepth--;
      this.keyCountScopes.pop();
    }
    const parentCounts = this.keyCountScopes[this.keyCountScopes.length - 1];
    if (type === 'foreach') {
      // The body may run any number of times, none included: it must leave the output as it found it.
      for (const [key, count] of branchCounts[0] ?? []) if (count > 0) parentCounts.set(key, Infinity);
      const exit = exits[0];
      if (exit !== undefined && !exit.dead && !sameState(exit, entry))
        throw new Unsupported('a #foreach whose body does not leave the output where it began', nodes[0]);
      this.state = entry;
    } else {
      const merged = new Map<string, number>();
      for (const counts of branchCounts)
        for (const [key, count] of counts) merged.set(key, Math.max(merged.get(key) ?? 0, count));
      for (const [key, count] of merged) parentCounts.set(key, (parentCounts.get(key) ?? 0) + count);
      const hasElse = branchesOf(nodes).some((branch) => branch.condition === undefined);
      const live = [...exits.filter((exit) => !exit.dead), ...(hasElse ? [] : [entry])];
      if (live.some((exit) => !sameState(exit, live[0])))
        throw new Unsupported('an #if whose branches leave the output in different places', nodes[0]);
      this.state = live[0] ?? { ...copyState(entry), dead: true };
    }
    this.code.line(`B.chars(L - ${start});`);
    if (this.state.dead && this.blockDepth === 0)
      throw new Unsupported('output that is not JSON whichever branch is taken', nodes[0]);
  }

  /** A block may begin and end between JSON values, or inside a string, never inside another token. */
  private checkBoundary(node: unknown): void {
    const token = this.state.token;
    if (token === undefined || (token.kind === 'string' && token.escape === '')) return;
    throw new Unsupported(
      'an #if or #foreach inside a number, true, false, null or an escape sequence',
      node,
    );
  }

  /** Literal text of the template: part of the output, read as JSON. */
  private text(text: string): void {
    this.code.charge(0, text.length);
    if (this.blockDepth > 0 && text.length > 0) this.code.line(`L += ${text.length};`);
    for (let at = 0; at < text.length && !this.state.dead; at++) this.character(text, at);
  }

  /** A reference's value placed in the output, as the interpreter's token. */
  private hole(t: string): void {
    // What the interpreter charges for a token: the value's size, then the token's own text.
    this.code.line(`N = tokenLength(tk++);`);
    this.code.line(`if (typeof ${t} === "string") B.chars(${t}.length + N); else placeValue(${t}, N, B);`);
    if (this.blockDepth > 0) this.code.line(`L += N;`);
    const token = this.state.token;
    if (token?.kind === 'string') {
      if (token.escape !== '') return this.fail('invalid escape in string');
      this.stringHole(token.id, t);
      return;
    }
    if (token !== undefined) {
      this.finishToken();
      if (this.state.dead) return;
    }
    const frame = this.top();
    const expectsValue =
      (frame.kind === 'document' && frame.pos === 'value') ||
      (frame.kind === 'object' && frame.pos === 'value') ||
      (frame.kind === 'array' && frame.pos === 'open');
    if (!expectsValue) return this.fail(expectationAt(frame));
    this.deliver({ kind: 'hole', temp: t });
  }

  private top(): Frame {
    return this.state.frames[this.state.frames.length - 1];
  }

  private character(text: string, at: number): void {
    const char = text[at];
    const token = this.state.token;
    if (token !== undefined) {
      switch (token.kind) {
        case 'string':
          return this.stringCharacter(token, char);
        case 'number':
          if (/[0-9.eE+-]/.test(char)) {
            token.text += char;
            return;
          }
          this.finishToken();
          if (this.state.dead) return;
          break;
        case 'keyword':
          if (char !== token.word[token.seen]) return this.fail('expected a JSON value');
          token.seen++;
          if (token.seen === token.word.length) {
            this.state.token = undefined;
            this.deliver({ kind: 'const', value: keywordValue(token.word) });
          }
          return;
      }
    }
    if (char === ' ' || char === '\n' || char === '\r' || char === '\t') return;
    const frame = this.top();
    switch (frame.kind) {
      case 'document':
        if (frame.pos === 'value') return this.valueStart(char);
        return this.fail('expected the end of the output');
      case 'object':
        switch (frame.pos) {
          case 'open':
            if (char === '}') return this.close();
            if (char === '"') return this.startString('key');
            return this.fail('expected a quoted field name or "}"');
          case 'colon':
            if (char === ':') {
              frame.pos = 'value';
              return;
            }
            return this.fail('expected ":" after a field name');
          case 'value':
            return this.valueStart(char);
          default:
            if (char === ',') {
              frame.pos = 'open';
              return;
            }
            if (char === '}') return this.close();
            return this.fail('expected "," or "}"');
        }
      case 'array':
        if (frame.pos === 'open') {
          if (char === ']') return this.close();
          return this.valueStart(char);
        }
        if (char === ',') {
          frame.pos = 'open';
          return;
        }
        if (char === ']') return this.close();
        return this.fail('expected "," or "]"');
    }
  }

  private valueStart(char: string): void {
    if (char === '{' || char === '[') return this.open(char === '{' ? 'object' : 'array');
    if (char === '"') return this.startString('value');
    if (char === '-' || (char >= '0' && char <= '9')) {
      this.state.token = { kind: 'number', text: char };
      return;
    }
    const word = char === 't' ? 'true' : char === 'f' ? 'false' : char === 'n' ? 'null' : undefined;
    if (word === undefined) return this.fail('expected a JSON value');
    this.state.token = { kind: 'keyword', word, seen: 1 };
  }

  /** Ends a number or a keyword the next character or value does not continue. */
  private finishToken(): void {
    const token = this.state.token;
    this.state.token = undefined;
    if (token?.kind === 'number') {
      const value = Number(token.text);
      if (token.text === '-' || Number.isNaN(value)) return this.fail('invalid number');
      this.deliver({ kind: 'const', value });
    } else if (token?.kind === 'keyword') {
      this.fail('expected a JSON value');
    } else if (token?.kind === 'string') {
      this.fail('unterminated string');
    }
  }

  private endOfOutput(): void {
    if (this.state.dead) return;
    if (this.state.token !== undefined) this.finishToken();
    if (this.state.dead) return;
    const frame = this.top();
    if (frame.kind !== 'document') return this.fail(expectationAt(frame));
    if (frame.pos !== 'done') return this.fail('expected a JSON value');
    this.finishRow();
  }

  private fail(why: string): void {
    if (this.blockDepth === 0) throw new Unsupported(`its output is not JSON: ${why}`);
    this.code.line('throw BAIL;');
    this.state.dead = true;
  }

  private open(kind: 'object' | 'array'): void {
    const parent = this.top();
    const id = this.frameCount++;
    const parentKey =
      parent.kind === 'object' && parent.keyId !== undefined ? this.constantKey(parent.keyId) : undefined;
    if (this.modes === undefined) {
      this.frameInfos.set(id, {
        id,
        kind,
        parent: parent.id,
        parentKey,
        topLevel: this.blockDepth === 0,
        dynamicKeys: false,
        keyCounts: new Map(),
      });
    }
    this.state.frames.push({ id, kind, pos: 'open' });
    this.frameKinds.set(id, kind);
    const mode = this.modeOf(id);
    if (mode.kind === 'generic') {
      const variable = `${kind === 'object' ? 'o' : 'a'}${id}`;
      this.frameVar(variable);
      this.code.line(`${variable} = ${kind === 'object' ? '{}' : '[]'};`);
    } else if (mode.kind === 'map') {
      this.frameVar(`m${id}, z${id}`);
      this.code.line(`m${id} = {};`);
      this.code.line(`z${id} = 0;`);
    }
  }

  private close(): void {
    const frame = this.state.frames.pop() as Frame;
    this.deliver({ kind: 'frame', id: frame.id });
  }

  private modeOf(id: number): FrameMode {
    return this.modes?.frames.get(id) ?? { kind: 'generic' };
  }

  // strings

  private startString(role: 'key' | 'value'): void {
    const id = this.stringCount++;
    this.state.token = { kind: 'string', id, role, escape: '' };
    const accumulated = this.modes?.accumulated.has(id) ?? false;
    const build: StringBuild = {
      variable: accumulated ? `s${id}` : undefined,
      parts: [],
      pendingLiteral: '',
    };
    this.strings.set(id, build);
    if (build.variable !== undefined) {
      this.frameVar(build.variable);
      this.code.line(`${build.variable} = "";`);
    }
  }

  private accumulateString(id: number): void {
    if (this.modes === undefined) this.accumulated.add(id);
    const build = this.strings.get(id);
    if (build?.variable !== undefined) this.flushLiteral(build);
  }

  private stringCharacter(token: Extract<Token, { kind: 'string' }>, char: string): void {
    const build = this.strings.get(token.id) as StringBuild;
    if (token.escape !== '') {
      token.escape += char;
      const decoded = decodeEscape(token.escape);
      if (decoded === null) return this.fail('invalid escape in string');
      if (decoded !== undefined) {
        token.escape = '';
        build.pendingLiteral += decoded;
      }
      return;
    }
    if (char === '\\') {
      token.escape = '\\';
      return;
    }
    if (char !== '"') {
      build.pendingLiteral += char;
      return;
    }
    this.state.token = undefined;
    const value = this.endString(build);
    if (token.role === 'key') {
      const frame = this.top();
      frame.keyId = token.id;
      frame.pos = 'colon';
      this.values.set(token.id, value);
    } else {
      this.deliver(value);
    }
  }

  private stringHole(id: number, t: string): void {
    const build = this.strings.get(id) as StringBuild;
    if (build.variable !== undefined) {
      this.flushLiteral(build);
      this.code.line(`${build.variable} += ${textOfToken(t)};`);
      return;
    }
    if (build.pendingLiteral !== '') build.parts.push({ literal: build.pendingLiteral });
    build.pendingLiteral = '';
    build.parts.push({ hole: t });
  }

  private flushLiteral(build: StringBuild): void {
    if (build.pendingLiteral === '') return;
    this.code.line(`${build.variable} += ${this.constant(build.pendingLiteral)};`);
    build.pendingLiteral = '';
  }

  private endString(build: StringBuild): ValueRef {
    if (build.variable !== undefined) {
      this.flushLiteral(build);
      return { kind: 'text', expr: build.variable };
    }
    if (build.pendingLiteral !== '') build.parts.push({ literal: build.pendingLiteral });
    const parts = build.parts;
    if (parts.every((part) => 'literal' in part))
      return { kind: 'const', value: parts.map((part) => (part as { literal: string }).literal).join('') };
    const pieces = parts.map((part) =>
      'literal' in part ? this.constant(part.literal) : textOfToken(part.hole),
    );
    return { kind: 'text', expr: pieces.length === 1 ? pieces[0] : `(${pieces.join(' + ')})` };
  }

  private constantKey(keyId: number): string | undefined {
    const key = this.values.get(keyId);
    return key?.kind === 'const' ? (key.value as string) : undefined;
  }

  // delivering complete values to the container they belong to

  private deliver(value: ValueRef): void {
    const frame = this.top();
    switch (frame.kind) {
      case 'document':
        frame.pos = 'done';
        if (value.kind === 'frame' && this.modeOf(value.id).kind === 'row') return;
        this.code.line(`R = ${this.outputValue(value)};`);
        return;
      case 'array':
        frame.pos = 'after';
        this.code.line(`a${frame.id}.push(${this.outputValue(value)});`);
        return;
      case 'object': {
        frame.pos = 'after';
        const keyId = frame.keyId as number;
        frame.keyId = undefined;
        const key = this.values.get(keyId) as ValueRef;
        this.member(frame.id, key, value);
        return;
      }
    }
  }

  /** The value the skeleton reader would place: its fill of a plan. */
  private outputValue(value: ValueRef): string {
    switch (value.kind) {
      case 'const':
        return this.constant(value.value);
      case 'text':
        return value.expr;
      case 'hole':
        return `tokenValue(${value.temp})`;
      case 'frame': {
        const mode = this.modeOf(value.id);
        if (mode.kind !== 'generic') throw new Error(`compiler: a ${mode.kind} container placed as a value`);
        return `${this.frameKinds.get(value.id) === 'object' ? 'o' : 'a'}${value.id}`;
      }
    }
  }

  private member(frameId: number, key: ValueRef, value: ValueRef): void {
    const constantKey = key.kind === 'const' ? (key.value as string) : undefined;
    if (this.modes === undefined) {
      const info = this.frameInfos.get(frameId) as FrameInfo;
      if (constantKey === undefined) info.dynamicKeys = true;
      else {
        const counts = this.keyCountScopes[this.keyCountScopes.length - 1];
        const slot = `${frameId}\u0000${constantKey}`;
        counts.set(slot, (counts.get(slot) ?? 0) + 1);
      }
    }
    const mode = this.modeOf(frameId);
    switch (mode.kind) {
      case 'generic':
        this.code.line(
          `setField(o${frameId}, ${key.kind === 'const' ? this.constant(key.value) : this.outputValue(key)}, ${this.outputValue(value)});`,
        );
        return;
      case 'row':
        return this.column(constantKey as string, value);
      case 'map':
        return this.mapEntry(frameId, constantKey as string, value, mode.keepEmpty);
    }
  }

  /** A field of the row: eventRowOf's treatment and validateRow's check, where the template cannot prove them. */
  private column(key: string, value: ValueRef): void {
    const index = columnNames.indexOf(key);
    if (key === 'eventId') return; // the engine's, whatever the template writes
    if (index < 0) {
      this.code.line('throw BAIL;'); // an unknown field: the row fails validation
      return;
    }
    const target = `c${index}`;
    const name = this.constant(key);
    switch (value.kind) {
      case 'const': {
        let stored: unknown;
        try {
          stored = compiledRuntime.columnOf(key, value.value);
        } catch (error) {
          if (error !== BAIL) throw error;
          this.code.line('throw BAIL;');
          return;
        }
        this.code.line(`${target} = ${stored === null ? 'null' : this.constant(stored)};`);
        return;
      }
      case 'text':
        if (textColumns.has(key)) {
          const t = this.temp();
          this.code.line(`${t} = ${value.expr};`);
          this.code.line(`${target} = ${t} === "" ? null : wellFormed(${t});`);
        } else {
          this.code.line(`${target} = columnOf(${name}, ${value.expr});`);
        }
        return;
      case 'hole': {
        const t = value.temp;
        if (textColumns.has(key))
          this.code.line(
            `${target} = typeof ${t} === "string" ? (${t} === "" ? null : wellFormed(${t})) : holeText(${name}, ${t});`,
          );
        else if (key === 'timestamp') this.code.line(`${target} = holeTimestamp(${t});`);
        else if (key === 'tags' || key === 'channelData')
          this.code.line(`${target} = holeMap(${name}, ${t}, ${key === 'tags'});`);
        else if (key === 'destinationAddress') this.code.line(`${target} = holeAddresses(${t});`);
        else this.code.line(`${target} = columnOf(${name}, tokenValue(${t}));`);
        return;
      }
      case 'frame': {
        const mode = this.modeOf(value.id);
        if (mode.kind === 'map') this.code.line(`${target} = z${value.id} === 0 ? null : m${value.id};`);
        else this.code.line(`${target} = columnOf(${name}, ${this.outputValue(value)});`);
        return;
      }
    }
  }

  /** An entry of `tags` or `channelData` written in the template: its key stored, its value as text. */
  private mapEntry(frameId: number, key: string, value: ValueRef, keepEmpty: boolean): void {
    const [map, size] = [`m${frameId}`, `z${frameId}`];
    const slot = `${map}[${this.constant(storedKey(key))}]`;
    if (value.kind === 'const') {
      const text = mapValueText(value.value);
      if (text === undefined || (text === '' && !keepEmpty)) return;
      this.code.line(`${slot} = ${this.constant(text)};`);
      this.code.line(`${size}++;`);
      return;
    }
    const t = this.temp();
    if (value.kind === 'text' && keepEmpty) {
      this.code.line(`${slot} = wellFormed(${value.expr});`);
      this.code.line(`${size}++;`);
      return;
    }
    if (value.kind === 'text') {
      this.code.line(`${t} = ${value.expr};`);
      this.code.block(`if (${t} !== "")`, () => {
        this.code.line(`${slot} = wellFormed(${t});`);
        this.code.line(`${size}++;`);
      });
      return;
    }
    this.code.line(`${t} = mapValueText(${this.outputValue(value)});`);
    this.code.block(keepEmpty ? `if (${t} !== undefined)` : `if (${t} !== undefined && ${t} !== "")`, () => {
      this.code.line(`${slot} = ${t};`);
      this.code.line(`${size}++;`);
    });
  }

  /** The end of the render: the row (or its line) from the columns, or from the output the generic way. */
  private finishRow(): void {
    const rowFrame = [...(this.modes?.frames ?? new Map<number, FrameMode>())].find(
      ([, mode]) => mode.kind === 'row',
    );
    if (rowFrame === undefined) {
      this.code.line('R = rowOf(R, E.eventText, E.eventId);');
      this.code.line(
        'if (asLine) return { text: JSON.stringify(R), channel: R.channel, timestamp: R.timestamp };',
      );
      this.code.line('return R;');
      return;
    }
    const at = (name: string) => `c${columnNames.indexOf(name)}`;
    const [channel, timestamp, rawEvent] = [at('channel'), at('timestamp'), at('rawEvent')];
    this.code.line(`if (${rawEvent} === null) ${rawEvent} = wellFormed(E.eventText);`);
    this.code.line(`if (${channel} === null || ${timestamp} === null) throw BAIL;`);
    const eventId = columnNames.indexOf('eventId');
    const row = `{ ${columnNames.map((name, i) => `${JSON.stringify(name)}: ${i === eventId ? 'E.eventId' : `c${i}`}`).join(', ')} }`;
    // One JSON.stringify of a literal of fixed shape: measured faster than joining each field's JSON.
    this.code.line(
      `if (asLine) return { text: JSON.stringify(${row}), channel: ${channel}, timestamp: ${timestamp} };`,
    );
    this.code.line(`return ${row};`);
  }
}

function expectationAt(frame: Frame): string {
  if (frame.kind === 'document')
    return frame.pos === 'value' ? 'expected a JSON value' : 'expected the end of the output';
  if (frame.kind === 'array') return frame.pos === 'open' ? 'expected a JSON value' : 'expected "," or "]"';
  switch (frame.pos) {
    case 'open':
      return 'expected a quoted field name or "}"';
    case 'colon':
      return 'expected ":" after a field name';
    case 'value':
      return 'expected a JSON value';
    default:
      return 'expected "," or "}"';
  }
}

/**
 * A key written in the template, as JavaScript source: a JSON string literal (JSON's strings are
 * JavaScript's string literals, escapes and U+2028/U+2029 included), so no text of the template can
 * end the literal; it is only ever used as a property key.
 */
function keyLiteral(key: string): string {
  return JSON.stringify(key);
}

/**
 * An index written in the template (`[0]`, `['a']`): canonical index text as its number, which
 * readMember reads the same way (a map's field "0", a list's or string's element 0) without
 * checking the text each time.
 */
function indexKey(key: unknown): unknown {
  if (typeof key !== 'string' || !/^(0|[1-9]\d*)$/.test(key)) return key;
  const index = Number(key);
  return Number.isSafeInteger(index) ? index : key;
}

/** The skeleton reader's tokenText, with its commonest case (a string is its own text) inline. */
function textOfToken(t: string): string {
  return `(typeof ${t} === "string" ? ${t} : tokenText(${t}))`;
}

function keywordValue(word: string): boolean | null {
  return word === 'true' ? true : word === 'false' ? false : null;
}

/** The text of a complete escape (`\n`, `\u00e9`), undefined while incomplete, null when invalid. */
function decodeEscape(escape: string): string | null | undefined {
  if (escape.length < 2) return undefined;
  switch (escape[1]) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '/':
      return '/';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'u': {
      const hex = escape.slice(2);
      if (!/^[0-9a-fA-F]*$/.test(hex)) return null;
      return hex.length < 4 ? undefined : String.fromCharCode(parseInt(hex, 16));
    }
    default:
      return null;
  }
}
