import { Compile, Helper, parse } from 'velocityjs';
import { SkeletonReader, type SkeletonReading } from './json-skeleton';

type VELOCITY_AST = ReturnType<typeof parse>[number];
type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;

/** The functions a render resolves `$anything.helperName(...)` calls with, by method name. */
export type TemplateHelpers = Readonly<Record<string, (args: readonly unknown[]) => unknown>>;

type MethodHandlers = NonNullable<CompileConfig['customMethodHandlers']>;
const handlersByHelpers = new WeakMap<TemplateHelpers, MethodHandlers>();

// For the calls velocityjs resolves itself (a method called on a top-level reference).
function handlersOf(helpers: TemplateHelpers): MethodHandlers {
  let handlers = handlersByHelpers.get(helpers);
  if (handlers === undefined) {
    handlers = [
      {
        uid: 'engagement-db-helpers',
        match: ({ property }) => Object.prototype.hasOwnProperty.call(helpers, property),
        resolve: ({ property, params }) => helpers[property](params),
      },
    ];
    handlersByHelpers.set(helpers, handlers);
  }
  return handlers;
}

/**
 * One Velocity template, parsed once. Rendering never pastes a value into the output text: each
 * `$reference` written by the template becomes an opaque token, so the JSON structure of the output
 * is the template author's alone; the skeleton reader then puts the values in as values.
 */
export class VelocityTemplate {
  readonly name: string;
  readonly source: string;
  private readonly asts: VELOCITY_AST[];
  private readonly marker: string;
  private readonly quotedStrings = new Map<string, VELOCITY_AST[]>();
  private readonly reader: SkeletonReader;
  // One interpreter per helper set (that is, per mapper), reset before each render: rendering is
  // synchronous, so a render never starts while another is running.
  private readonly compiles = new WeakMap<TemplateHelpers, TokenisingCompile>();

  /** @throws whatever velocityjs' parser throws for invalid Velocity. */
  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.asts = parse(source);
    this.marker = markerAbsentFrom(source);
    this.reader = new SkeletonReader(this.marker);
  }

  /**
   * Renders the template over a context and reads the output as JSON with the values in place.
   *
   * @throws whatever a helper or velocityjs throws while rendering.
   */
  render(context: Record<string, unknown>, helpers: TemplateHelpers): SkeletonReading {
    let compile = this.compiles.get(helpers);
    if (compile === undefined) {
      compile = new TokenisingCompile(this.asts, helpers, this.marker, this.quotedStrings);
      this.compiles.set(helpers, compile);
    }
    const skeleton = compile.renderFresh(context);
    return this.reader.read(skeleton, compile.values);
  }
}

// Private-use characters: a template author has no reason to write them, and the one used is
// checked to be absent from the template's text, so a token can never be confused with literal text.
function markerAbsentFrom(source: string): string {
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const candidate = String.fromCharCode(code);
    if (!source.includes(candidate)) return candidate;
  }
  throw new RangeError('a template uses every private-use character');
}

interface ReferenceNode {
  readonly type: 'references';
  readonly id: string;
  readonly prue?: boolean;
  readonly leader?: string;
  readonly args?: unknown[];
  readonly path?: unknown[];
}

interface AttributeNode {
  readonly type: 'property' | 'method' | 'index';
  readonly id: string;
  readonly args?: VELOCITY_AST[] | false;
}

/** The References methods velocityjs mixes into Compile at run time, which its typings do not declare. */
interface ReferenceResolver {
  getPropMethod(property: unknown, baseRef: unknown, ast: unknown): unknown;
  getLocal(ast: unknown): { value: unknown; isLocal: boolean };
  getAttributes(property: unknown, baseRef: unknown, ast: unknown): unknown;
}

const velocityReferences = Compile.prototype as unknown as ReferenceResolver;

// The same keys velocityjs' prototype guard blocks.
function isPrototypeKey(base: unknown, key: string): boolean {
  if (key === '__proto__') return true;
  if (key === 'prototype' && typeof base === 'function') return true;
  return (key === 'constructor' || key === 'prototype') && !Object.prototype.hasOwnProperty.call(base, key);
}

const referenceTextKey = Symbol('referenceText');

function referenceText(node: ReferenceNode): string {
  const cached = node as ReferenceNode & { [referenceTextKey]?: string };
  return (cached[referenceTextKey] ??= Helper.getRefText(node as never));
}

class TokenisingCompile extends Compile {
  readonly values: unknown[] = [];
  // Inside a double-quoted directive string ("$a-$b" in #set or #if) values must stay plain text.
  private plainDepth = 0;

  constructor(
    asts: VELOCITY_AST[],
    private readonly helpers: TemplateHelpers,
    private readonly marker: string,
    private readonly quotedStrings: Map<string, VELOCITY_AST[]>,
  ) {
    super(asts, { customMethodHandlers: handlersOf(helpers) });
    // The macros velocityjs' render sets up each time: #stop, and #eval (not enumerable, as there).
    this.builtInMacros = {
      stop: () => {
        this.runState.stop = true;
        return '';
      },
    };
    Object.defineProperty(this.builtInMacros, 'eval', { value: this.eval.bind(this) });
  }

  private readonly builtInMacros: Record<string, (...args: never[]) => unknown>;

  /** Renders over a new context with the state a new velocityjs Compile would have. */
  renderFresh(context: Record<string, unknown>): string {
    this.values.length = 0;
    this.plainDepth = 0;
    this.defines = {};
    this.macrosStore = {};
    this.local = {};
    this.conditions = [];
    this.contextId = '';
    this.runState.stop = false;
    this.runState.break = false;
    this.silence = false;
    this.context = context;
    this.macros = this.builtInMacros;
    return this.renderAstList();
  }

  override renderAstList(asts?: VELOCITY_AST[], contextId?: string): string {
    if (this.plainDepth > 0) return super.renderAstList(asts, contextId);
    // Same control flow as velocityjs' Compile.renderAstList, with references and JavaScript macros as tokens.
    let str = '';
    const list = asts ?? this.asts;
    if (contextId) {
      if (contextId !== this.contextId && !this.conditions.includes(contextId))
        this.conditions.unshift(contextId);
      this.contextId = contextId;
    } else {
      this.contextId = '';
    }
    for (const ast of list as unknown[]) {
      if (this.runState.stop) break;
      if (typeof ast === 'string') {
        str += ast;
        continue;
      }
      const node = ast as VELOCITY_AST & { type: string; id: string; prue?: boolean };
      switch (node.type) {
        case 'references':
          if (node.prue && Array.isArray(this.defines[node.id])) str += this.getReferences(node, true);
          else str += this.token(this.getReferences(node, true));
          break;
        case 'set':
          this.setValue(node as never);
          break;
        case 'break':
          this.runState.break = true;
          break;
        case 'macro_call':
          str += node.id in this.macrosStore ? this.getMacro(node) : this.token(this.getMacro(node));
          break;
        case 'comment':
          break;
        case 'raw':
          str += String(node.value);
          break;
        default:
          str += this.getBlock(node as unknown as VELOCITY_AST[]);
      }
    }
    return str;
  }

  protected override evalStr(str: string): string {
    let asts = this.quotedStrings.get(str);
    if (asts === undefined) {
      asts = parse(str);
      this.quotedStrings.set(str, asts);
    }
    this.plainDepth++;
    try {
      return super.renderAstList(asts, this.contextId);
    } finally {
      this.plainDepth--;
    }
  }

  // velocityjs' References.getReferences without the HTML-escape option (never set here), without its
  // lookup of a context key spelled like the whole reference ("$!{a.b}"), which Velocity does not
  // have, and with the reference's text computed once per template node.
  protected override getReferences(ast: VELOCITY_AST, isVal?: boolean): never {
    const node = ast as ReferenceNode;
    if (node.prue) {
      const define = this.defines[node.id];
      if (Array.isArray(define)) return this.renderAstList(define) as never;
    }
    const context = this.context;
    let value: unknown = isPrototypeKey(context, node.id) ? undefined : context[node.id];
    if (value !== undefined && node.args !== undefined)
      value = velocityReferences.getPropMethod.call(this, node, context, node);
    if (this.conditions.length > 0) {
      const local = velocityReferences.getLocal.call(this, node);
      if (local.isLocal) value = local.value;
    }
    const path = node.path as AttributeNode[] | undefined;
    if (path !== undefined) {
      for (const property of path) value = this.getAttribute(property, value, node);
    }
    if (isVal && value === undefined)
      return (node.leader === '$!' || this.silence ? '' : referenceText(node)) as never;
    return value as never;
  }

  // velocityjs' References.getAttributes, with helper calls and plain properties resolved directly.
  private getAttribute(property: AttributeNode, base: unknown, node: ReferenceNode): unknown {
    if (base === null || base === undefined) return undefined;
    if (property.type === 'property')
      return isPrototypeKey(base, property.id) ? undefined : (base as Record<string, unknown>)[property.id];
    if (property.type === 'method' && Object.prototype.hasOwnProperty.call(this.helpers, property.id)) {
      const args = Array.isArray(property.args) ? property.args.map((arg) => this.getLiteral(arg)) : [];
      return this.helpers[property.id](args);
    }
    return velocityReferences.getAttributes.call(this, property, base, node);
  }

  private token(value: unknown): string {
    this.values.push(value);
    return `${this.marker}${this.values.length - 1}${this.marker}`;
  }
}
