import { Compile } from 'velocityjs';
import { SkeletonReader, type SkeletonReading } from './json-skeleton';
import {
  type AttributeNode,
  type ForeachNode,
  type LiteralNode,
  type MacroCallNode,
  type MathNode,
  type ReferenceNode,
  type SetNode,
  type VelocityNode as VELOCITY_AST,
  parseTemplate,
  referenceText,
} from './velocity-ast';
import type { RenderBudget } from './render-budget';
import {
  type TemplateHelpers,
  admitted,
  applyOperator,
  callMethod,
  chargeJsonSize,
  itemsOf,
  rangeOf,
  readMember,
  textOf,
  writeMember,
  writeVariable,
} from './template-sandbox';

/**
 * One Velocity template, parsed once. Rendering never pastes a value into the output text: each
 * `$reference` written by the template becomes an opaque token, so the JSON structure of the output
 * is the template author's alone; the skeleton reader then puts the values in as values.
 * Every value the template touches goes through the template sandbox, and every step through the
 * record's render budget.
 */
export class VelocityTemplate {
  readonly name: string;
  readonly source: string;
  /** The parsed template, which the compiler reads too. */
  readonly asts: VELOCITY_AST[];
  private readonly marker: string;
  private readonly parsedStrings = new Map<string, VELOCITY_AST[]>();
  private readonly reader: SkeletonReader;
  // One interpreter per helper set (that is, per mapper), reset before each render: rendering is
  // synchronous, so a render never starts while another is running.
  private readonly compiles = new WeakMap<TemplateHelpers, SandboxedCompile>();

  /** @throws whatever velocityjs' parser throws for invalid Velocity. */
  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.asts = parseTemplate(source);
    this.marker = markerAbsentFrom(source);
    this.reader = new SkeletonReader(this.marker);
  }

  /**
   * Renders the template over a context and reads the output as JSON with the values in place.
   *
   * @throws RenderBudgetExceeded when the render goes beyond the budget; whatever a helper throws.
   */
  render(context: Record<string, unknown>, helpers: TemplateHelpers, budget: RenderBudget): SkeletonReading {
    let compile = this.compiles.get(helpers);
    if (compile === undefined) {
      compile = new SandboxedCompile(this.asts, helpers, this.marker, this.parsedStrings);
      this.compiles.set(helpers, compile);
    }
    const skeleton = compile.renderFresh(context, budget);
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

interface StoredMacro {
  readonly asts: VELOCITY_AST[];
  readonly args?: { id?: string }[];
}

/** velocityjs' References.getLocal, which Compile has at run time but its typings do not declare. */
interface LocalResolver {
  getLocal(ast: unknown): { value: unknown; isLocal: boolean };
}

const velocityLocals = Compile.prototype as unknown as LocalResolver;

// Strings parsed at render time: double-quoted strings of the template, and texts given to #eval.
// The second kind comes from data, so the cache is bounded.
const largestParseCache = 256;

type BuiltInMacro = (args: readonly unknown[]) => string;

/**
 * velocityjs' interpreter with every place where it touches a value, calls a function, loops,
 * recurses or builds text replaced by the template sandbox and charged to the render budget. Only its
 * control flow is kept (#if, block dispatch, #macro and #define storage, local-variable lookup).
 */
class SandboxedCompile extends Compile {
  readonly values: unknown[] = [];
  // Inside a double-quoted directive string ("$a-$b" in #set or #if) values are plain text.
  private plainDepth = 0;
  private budget!: RenderBudget;
  private scopeCount = 0;
  // Whether this render stored a #define, #macro or local scope, which the next render must not see.
  private scopesUsed = false;
  // Variables #set outside loops and macros' parameters: they hide the context's fields of the same
  // name, as velocityjs' writes into the context do, without changing the context object's shape.
  private readonly variables = new Map<string, unknown>();
  private readonly builtInMacros: Readonly<Record<string, BuiltInMacro>>;

  constructor(
    asts: VELOCITY_AST[],
    private readonly helpers: TemplateHelpers,
    private readonly marker: string,
    private readonly parsedStrings: Map<string, VELOCITY_AST[]>,
  ) {
    super(asts);
    this.newScopes();
    const evaluate: BuiltInMacro = ([text]) =>
      typeof text !== 'string'
        ? ''
        : this.budget.nested('#eval', () => {
            this.budget.chars(text.length);
            return this.evalStr(text);
          });
    this.builtInMacros = Object.assign(Object.create(null) as Record<string, BuiltInMacro>, {
      stop: () => {
        this.runState.stop = true;
        return '';
      },
      eval: evaluate,
      evaluate,
    });
  }

  /** Renders over a new context with the state a new velocityjs Compile would have. */
  renderFresh(context: Record<string, unknown>, budget: RenderBudget): string {
    this.values.length = 0;
    this.variables.clear();
    this.plainDepth = 0;
    this.scopeCount = 0;
    this.budget = budget;
    if (this.scopesUsed) this.newScopes();
    this.conditions = [];
    this.contextId = '';
    this.runState.stop = false;
    this.runState.break = false;
    this.silence = false;
    this.context = context;
    return this.renderAstList();
  }

  // Scopes without prototype, so that no name finds an inherited property.
  private newScopes(): void {
    this.defines = Object.create(null) as typeof this.defines;
    this.macrosStore = Object.create(null) as typeof this.macrosStore;
    this.local = Object.create(null) as typeof this.local;
    this.scopesUsed = false;
  }

  setBlockDefine(block: VELOCITY_AST[]): void {
    this.scopesUsed = true;
    this.defines[(block[0] as unknown as MacroCallNode).id] = block.slice(1);
  }

  setBlockMacro(block: VELOCITY_AST[]): void {
    this.scopesUsed = true;
    const ast = block[0] as unknown as { id: string; args?: StoredMacro['args'] };
    (this.macrosStore as Record<string, StoredMacro>)[ast.id] = { asts: block.slice(1), args: ast.args };
  }

  override renderAstList(asts?: VELOCITY_AST[], contextId?: string): string {
    // Same control flow as velocityjs' Compile.renderAstList; references and built-in macros become
    // tokens, or their text inside a double-quoted string.
    let str = '';
    let text: string;
    const list = asts ?? this.asts;
    if (contextId) {
      if (contextId !== this.contextId && !this.conditions.includes(contextId))
        this.conditions.unshift(contextId);
      this.contextId = contextId;
    } else {
      this.contextId = '';
    }
    const plain = this.plainDepth > 0;
    for (const ast of list as unknown[]) {
      if (this.runState.stop) break;
      this.budget.step();
      if (typeof ast === 'string') {
        text = ast;
      } else {
        const node = ast as VELOCITY_AST & { type: string; id: string; prue?: boolean; value?: unknown };
        switch (node.type) {
          case 'references': {
            const value = this.getReferences(node, true);
            const inline = plain || (node.prue && this.defines[node.id] !== undefined);
            text = inline ? textOf(value, this.budget) : this.token(value);
            break;
          }
          case 'set':
            this.setValue(node as never);
            continue;
          case 'break':
            this.runState.break = true;
            continue;
          case 'macro_call': {
            const output: unknown = this.getMacro(node);
            text = plain || node.id in this.macrosStore ? String(output) : this.token(output);
            break;
          }
          case 'comment':
            continue;
          case 'raw':
            text = String(node.value);
            break;
          default:
            text = this.getBlock(node as unknown as VELOCITY_AST[]);
        }
      }
      this.budget.chars(text.length);
      str += text;
    }
    return str;
  }

  protected override getReferences(ast: VELOCITY_AST, isVal?: boolean): never {
    const node = ast as unknown as ReferenceNode;
    if (node.prue) {
      const define = this.defines[node.id];
      if (define !== undefined) {
        return this.budget.nested(`#define $${node.id}`, () => this.renderAstList(define)) as never;
      }
    }
    let value = this.globalVariable(node.id);
    if (value !== undefined && node.args !== undefined) value = this.callOn(this.context, node.id, node.args);
    if (this.conditions.length > 0) {
      const local = velocityLocals.getLocal.call(this, node);
      if (local.isLocal) value = local.value;
    }
    if (node.path !== undefined) {
      for (const property of node.path) value = this.getAttribute(property, value);
    }
    if (isVal && value === undefined)
      return (node.leader === '$!' || this.silence ? '' : referenceText(node)) as never;
    // The sandbox lets nothing else through; should that ever break, the render stops here.
    if (value !== undefined && admitted(value) === undefined)
      throw new TypeError(
        `${referenceText(node)} is not template data: a JavaScript value reached the template`,
      );
    return value as never;
  }

  private globalVariable(name: string): unknown {
    return this.variables.has(name) ? this.variables.get(name) : readMember(this.context, name);
  }

  private getAttribute(property: AttributeNode, base: unknown): unknown {
    if (base === null || base === undefined) return undefined;
    switch (property.type) {
      case 'property':
        return readMember(base, property.id);
      case 'index': {
        const key = property.id as LiteralNode;
        return readMember(base, key.type === 'references' ? this.getReferences(key as never) : key.value);
      }
      case 'method':
        return this.callOn(base, property.id as string, property.args);
    }
  }

  private callOn(base: unknown, name: string, args: VELOCITY_AST[] | false | undefined): unknown {
    const values = Array.isArray(args) ? args.map((arg) => this.getLiteral(arg)) : [];
    return callMethod(base, name, values, this.helpers, this.budget);
  }

  // velocityjs' own attribute resolvers: nothing calls them once getReferences is replaced, and
  // should its code ever do so, they go through the sandbox too.
  getAttributes(property: AttributeNode, base: unknown): unknown {
    return this.getAttribute(property, base);
  }

  getPropIndex(property: AttributeNode, base: unknown): unknown {
    return this.getAttribute(property, base);
  }

  getPropMethod(property: AttributeNode, base: unknown): unknown {
    return this.getAttribute({ ...property, type: 'method' }, base);
  }

  protected override getLiteral(ast: VELOCITY_AST): never {
    this.budget.step();
    const literal = ast as unknown as LiteralNode;
    switch (literal.type) {
      case 'string': {
        const text = literal.value as string;
        return (
          literal.isEval && (text.includes('#') || text.includes('$')) ? this.evalStr(text) : text
        ) as never;
      }
      case 'integer':
        return parseInt(literal.value as string, 10) as never;
      case 'decimal':
        return parseFloat(literal.value as string) as never;
      case 'array': {
        const items = literal.value as (VELOCITY_AST | string | number)[];
        if (literal.isRange !== true) {
          this.budget.containerBuilt();
          return items.map((item) => this.getLiteral(item as VELOCITY_AST)) as never;
        }
        const [begin, end] = items.map((bound) =>
          typeof bound === 'string' || typeof bound === 'number' ? bound : this.getReferences(bound),
        );
        return rangeOf(begin, end, this.budget) as never;
      }
      case 'map': {
        this.budget.containerBuilt();
        const map: Record<string, unknown> = {};
        const entries = (literal.value ?? {}) as Record<string, VELOCITY_AST>;
        for (const key of Object.keys(entries))
          writeMember(map, key, this.getLiteral(entries[key]), this.budget);
        return map as never;
      }
      case 'bool':
        return (literal.value === 'true' ? true : literal.value === 'false' ? false : null) as never;
      default:
        return this.getReferences(ast);
    }
  }

  protected override getExpression(ast: VELOCITY_AST): never {
    this.budget.step();
    if ((ast as { type: string }).type !== 'math') return this.getLiteral(ast);
    const { operator, expression } = ast as unknown as MathNode;
    const left: unknown = this.getExpression(expression[0]);
    switch (operator) {
      case '||':
        return (left || this.getExpression(expression[1])) as never;
      case '&&':
        return (left && this.getExpression(expression[1])) as never;
      case 'not':
        return !left as never;
      case 'parenthesis':
        return left as never;
      case 'minus':
        return applyOperator('-', 0, left, this.budget) as never;
      default:
        return applyOperator(operator, left, this.getExpression(expression[1]), this.budget) as never;
    }
  }

  protected override setValue(ast: never): void {
    const [reference, valueAst] = (ast as SetNode).equal;
    // As velocityjs: inside a macro a #set is global; elsewhere it is local when a loop or macro has the name.
    const scope = this.contextId.startsWith('macro:') ? undefined : this.localScopeOf(reference.id);
    const value: unknown =
      (valueAst as { type: string }).type === 'math'
        ? this.getExpression(valueAst)
        : this.getLiteral(valueAst);
    const path = reference.path ?? [];
    if (path.length === 0) {
      this.assign(scope, reference.id, value);
      return;
    }
    const keys = path.map((step): unknown => {
      if (step.type === 'property') return step.id;
      return step.type === 'index' ? this.getLiteral(step.id as VELOCITY_AST) : '';
    });
    // As velocityjs: a variable that holds no object becomes an empty map first; a missing
    // object further along the path ends the #set.
    let base = scope === undefined ? this.globalVariable(reference.id) : readMember(scope, reference.id);
    if (typeof base !== 'object') {
      base = {};
      this.assign(scope, reference.id, base);
    }
    for (const key of keys.slice(0, -1)) {
      base = readMember(base, key);
      if (typeof base !== 'object' || base === null) return;
    }
    writeMember(base, keys[keys.length - 1], value, this.budget);
  }

  private assign(scope: Record<string, unknown> | undefined, name: string, value: unknown): void {
    if (scope === undefined) this.variables.set(name, value);
    else writeVariable(scope, name, value);
  }

  /** The innermost loop or macro scope that has a variable, if any. */
  private localScopeOf(name: string): Record<string, unknown> | undefined {
    const locals = this.local as Record<string, Record<string, unknown>>;
    for (const contextId of this.conditions) {
      const scope = locals[contextId];
      if (scope !== undefined && Object.hasOwn(scope, name)) return scope;
    }
    return undefined;
  }

  getBlockEach(block: VELOCITY_AST[]): string {
    const ast = block[0] as unknown as ForeachNode;
    const items = itemsOf(this.getLiteral({ ...ast.from, pos: ast.pos } as VELOCITY_AST), this.budget);
    if (items.length === 0) return '';
    const body = block.slice(1);
    const local: Record<string, unknown> = Object.create(null);
    const contextId = `foreach:${this.scopeCount++}`;
    const locals = this.local as Record<string, unknown>;
    const length = items.length;
    let output = '';
    for (let i = 0; i < length && !this.runState.break; i++) {
      this.budget.step();
      writeVariable(local, ast.to, readMember(items, i));
      local.foreach = { count: i + 1, index: i, hasNext: i + 1 < length };
      local.velocityCount = i + 1;
      locals[contextId] = local;
      this.scopesUsed = true;
      output += this.renderAstList(body, contextId);
    }
    this.runState.break = false;
    delete locals[contextId];
    this.conditions.shift();
    this.contextId = this.conditions[0] ?? '';
    return output;
  }

  protected override getMacro(ast: VELOCITY_AST, bodyContent?: string): never {
    const call = ast as unknown as MacroCallNode;
    const macro = (this.macrosStore as Record<string, StoredMacro | undefined>)[call.id];
    const args = call.args ?? [];
    if (macro === undefined) {
      const builtIn = this.builtInMacros[call.id];
      return (builtIn === undefined ? '' : builtIn(args.map((arg) => this.getLiteral(arg)))) as never;
    }
    return this.budget.nested(`macro #${call.id}`, () => {
      this.budget.step();
      const local: Record<string, unknown> = Object.create(null);
      local.bodyContent = bodyContent;
      (macro.args ?? []).forEach((parameter, i) => {
        if (parameter.id === undefined) return;
        writeVariable(local, parameter.id, args[i] === undefined ? undefined : this.getLiteral(args[i]));
      });
      return this.eval(macro.asts, local, `macro:${call.id}:${this.scopeCount++}`);
    }) as never;
  }

  // `#@name() body #end`: the body is text the macro places with $bodyContent.
  getMacroBody(asts: VELOCITY_AST[]): string {
    this.plainDepth++;
    let bodyContent: string;
    try {
      bodyContent = this.eval(asts.slice(1), Object.create(null) as object);
    } finally {
      this.plainDepth--;
    }
    return this.getMacro(asts[0], bodyContent);
  }

  protected override eval(str: string | VELOCITY_AST[], local?: object, contextId?: string): string {
    if (local === undefined) return Array.isArray(str) ? this.renderAstList(str) : this.evalStr(str);
    const asts = Array.isArray(str) ? str : this.parsed(str);
    if (asts.length === 0) return '';
    const id = contextId ?? `eval:${this.scopeCount++}`;
    const locals = this.local as Record<string, unknown>;
    locals[id] = local;
    this.scopesUsed = true;
    const output = this.renderAstList(asts, id);
    delete locals[id];
    this.conditions.shift();
    this.contextId = this.conditions[0] ?? '';
    return output;
  }

  protected override evalStr(str: string): string {
    const asts = this.parsed(str);
    this.plainDepth++;
    try {
      return this.renderAstList(asts, this.contextId);
    } finally {
      this.plainDepth--;
    }
  }

  private parsed(text: string): VELOCITY_AST[] {
    let asts = this.parsedStrings.get(text);
    if (asts === undefined) {
      asts = parseTemplate(text);
      if (this.parsedStrings.size >= largestParseCache) this.parsedStrings.clear();
      this.parsedStrings.set(text, asts);
    }
    return asts;
  }

  private token(value: unknown): string {
    if (typeof value === 'string') this.budget.chars(value.length);
    else chargeJsonSize(value, this.budget);
    this.values.push(value);
    return `${this.marker}${this.values.length - 1}${this.marker}`;
  }
}
