import { JsonText } from './json-text';
import { RenderLimit } from '../mapping-failure';
import { type RenderBudget, RenderBudgetExceeded } from './render-budget';

/*
 * What a template may do with the values it sees: the one policy every way of running a template
 * (velocityjs' interpreter here, compiled JavaScript later) goes through.
 *
 * Templates see data, not JavaScript. A template value is undefined, null, a boolean, a number, a
 * string, an array, a plain object (prototype Object.prototype or null) or a helper's JsonText, and
 * every value a template obtains is one of these:
 * - reads ($a.b, $a[x], $a.getB()) return own data properties of plain objects, elements and
 *   `length`/`size` of arrays, characters and `length` of strings; nothing is ever looked up on a
 *   prototype, so `constructor`, `__proto__`, `toString`, `__lookupGetter__` and the like read as
 *   undefined unless the data itself holds such a key;
 * - calls ($a.b(...)) resolve to the documented helpers (on any value) or to the methods of the
 *   tables below, by receiver kind; there is no other way to call a function;
 * - writes (#set, put, add) define own data properties of plain objects and elements of arrays,
 *   never `__proto__`, `constructor` or `prototype`;
 * - text, operators, iteration and ranges are defined here too, so that no JavaScript coercion
 *   (which calls toString and valueOf, or joins arrays without end) runs on a template's behalf.
 * Every function that can take work proportional to its input charges the record's RenderBudget.
 */

/** A helper a template calls by method name on any value, such as `$jsonTool.toJson($x)`. */
export type TemplateHelper = (args: readonly unknown[], budget: RenderBudget) => unknown;

/** The helpers of one mapper, by method name. */
export type TemplateHelpers = ReadonlyMap<string, TemplateHelper>;

/** Keys a template can never write; reads of them only find data the event itself holds. */
function isUnwritableKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

// Values nested deeper than this are refused by the walks below (JSON.stringify would overflow the stack).
const deepestValue = 2_000;

/** True for a plain object: the kind JSON.parse and template map literals make. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return containerKind(value) === 'map';
}

function isList(value: unknown): value is unknown[] {
  return containerKind(value) === 'list';
}

/** 'map' for a plain object (prototype Object.prototype or null), 'list' for an array, else undefined. */
function containerKind(value: unknown): 'map' | 'list' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return 'map';
  return prototype === Array.prototype && Array.isArray(value) ? 'list' : undefined;
}

/** The value itself when a template may hold it, else undefined. */
export function admitted(value: unknown): unknown {
  // typeof comparisons, not a switch on typeof: V8 runs them ten times faster, on every read.
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return undefined; // undefined itself, functions, symbols, bigints
  return value === null || containerKind(value) !== undefined || value instanceof JsonText
    ? value
    : undefined;
}

// Template values are made by JSON.parse, object spreads and the writes below: their own properties
// are data properties, so reading one runs no code.
function ownData(target: object, key: string): unknown {
  return Object.hasOwn(target, key) ? admitted((target as Record<string, unknown>)[key]) : undefined;
}

/** An array or string index: a non-negative integer, or its canonical decimal text. */
function indexOf(key: unknown, length: number): number | undefined {
  const index =
    typeof key === 'number' ? key : typeof key === 'string' && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
  return Number.isSafeInteger(index) && index >= 0 && index < length ? index : undefined;
}

/**
 * `$base.key` and `$base[key]`: an own data property of a plain object, an element or the
 * `length`/`size` of an array, a character or the `length` of a string; undefined otherwise.
 *
 * @example readMember({ a: 1 }, 'a') // 1; readMember({}, 'constructor') // undefined
 */
export function readMember(base: unknown, key: unknown): unknown {
  return admitted(memberOf(base, key));
}

/**
 * What readMember reads, before the check that it is template data ({@link admitted}). Compiled
 * templates read through this function, or through its map and list branches written out at the
 * place of the read (see template-compiler.ts), followed by admitted.
 */
export function memberOf(base: unknown, key: unknown): unknown {
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  if (typeof base === 'string') {
    if (key === 'length') return base.length;
    const index = indexOf(key, base.length);
    return index === undefined ? undefined : base[index];
  }
  const kind = containerKind(base);
  if (kind === 'map') {
    const name = String(key);
    return Object.hasOwn(base as object, name) ? (base as Record<string, unknown>)[name] : undefined;
  }
  if (kind !== 'list') return undefined;
  const list = base as unknown[];
  if (key === 'length' || key === 'size') return list.length;
  const index = indexOf(key, list.length);
  return index === undefined ? undefined : list[index];
}

/**
 * `#set($target.key = value)`, `$map.put(key, value)`, `$list.add(value)`: sets an own property of a
 * plain object (any key but `__proto__`, `constructor` and `prototype`, so no assignment reaches a
 * setter) or an element of an array (an existing index, or the next one). Returns whether it wrote.
 *
 * @example writeMember({}, '__proto__', {}, budget) // false
 */
export function writeMember(target: unknown, key: unknown, value: unknown, budget: RenderBudget): boolean {
  if (admitted(value) === undefined && value !== undefined) return false;
  if (typeof value === 'object' && value !== null) budget.containerBuilt();
  if (isPlainObject(target)) {
    if (typeof key !== 'string' && typeof key !== 'number') return false;
    const name = String(key);
    if (isUnwritableKey(name)) return false;
    target[name] = value;
    return true;
  }
  if (isList(target)) {
    const index = indexOf(key, target.length + 1);
    if (index === undefined) return false;
    target[index] = value;
    return true;
  }
  return false;
}

/**
 * Sets a variable in one of the interpreter's scopes (the render context, loop and macro locals:
 * plain or null-prototype objects of the engine), never `__proto__` and the like.
 */
export function writeVariable(scope: Record<string, unknown>, name: string, value: unknown): void {
  if (!isUnwritableKey(name)) scope[name] = value;
}

type Method<Receiver> = (receiver: Receiver, args: readonly unknown[], budget: RenderBudget) => unknown;
type MethodTable<Receiver> = ReadonlyMap<string, Method<Receiver>>;

function table<Receiver>(methods: Record<string, Method<Receiver>>): MethodTable<Receiver> {
  return new Map(Object.entries(methods));
}

function integerArgument(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : fallback;
}

// Java's String methods that Velocity templates use; the work of each is charged by the length it scans.
const stringMethods: MethodTable<string> = table<string>({
  length: (text) => text.length,
  isEmpty: (text) => text.length === 0,
  toString: (text: string) => text,
  toLowerCase: (text, _args, budget) => (budget.chars(text.length), text.toLowerCase()),
  toUpperCase: (text, _args, budget) => (budget.chars(text.length), text.toUpperCase()),
  trim: (text, _args, budget) => (budget.chars(text.length), text.trim()),
  substring: (text, [start, end]) =>
    text.substring(integerArgument(start, 0), integerArgument(end, text.length)),
  charAt: (text, [index]) => text.charAt(integerArgument(index, -1)),
  contains: (text, [part], budget) =>
    typeof part === 'string' && (budget.chars(text.length), text.includes(part)),
  startsWith: (text, [part]) => typeof part === 'string' && text.startsWith(part),
  endsWith: (text, [part]) => typeof part === 'string' && text.endsWith(part),
  indexOf: (text, [part], budget) =>
    typeof part === 'string' ? (budget.chars(text.length), text.indexOf(part)) : -1,
  lastIndexOf: (text, [part], budget) =>
    typeof part === 'string' ? (budget.chars(text.length), text.lastIndexOf(part)) : -1,
  equals: (text, [other]) => text === other,
  equalsIgnoreCase: (text, [other], budget) =>
    typeof other === 'string' && (budget.chars(text.length), text.toLowerCase() === other.toLowerCase()),
  replace: (text, [target, replacement], budget) => {
    if (typeof target !== 'string' || typeof replacement !== 'string') return text;
    // Charged before the work: at most one replacement per character (or per gap, for '').
    const replacements = target === '' ? text.length + 1 : Math.floor(text.length / target.length);
    budget.chars(text.length + replacements * replacement.length);
    return text.replaceAll(target, () => replacement);
  },
});

const scalarMethods: MethodTable<number | boolean> = table<number | boolean>({
  toString: (value: number | boolean) => String(value),
});

const listMethods = table<unknown[]>({
  size: (list) => list.length,
  isEmpty: (list) => list.length === 0,
  get: (list, [index]) => readMember(list, index),
  contains: (list, [item], budget) => (budget.step(list.length), list.includes(item)),
  indexOf: (list, [item], budget) => (budget.step(list.length), list.indexOf(item)),
  // velocityjs returns the new length.
  add: (list, [item], budget) => (writeMember(list, list.length, item, budget) ? list.length : undefined),
});

const mapMethods = table<Record<string, unknown>>({
  size: (map, _args, budget) => keysOf(map, budget).length,
  isEmpty: (map, _args, budget) => keysOf(map, budget).length === 0,
  get: (map, [key]) => readMember(map, key),
  containsKey: (map, [key]) => typeof key === 'string' && Object.hasOwn(map, key),
  keySet: (map, _args, budget) => keysOf(map, budget),
  values: (map, _args, budget) => (
    budget.containerBuilt(),
    keysOf(map, budget).map((key) => ownData(map, key))
  ),
  entrySet: (map, _args, budget) => {
    budget.containerBuilt();
    return keysOf(map, budget).map((key) => ({ key, value: ownData(map, key) }));
  },
  // velocityjs returns the value put.
  put: (map, [key, value], budget) => (writeMember(map, key, value, budget) ? value : undefined),
});

const jsonTextMethods: MethodTable<JsonText> = table<JsonText>({ toString: (json: JsonText) => json.text });

function keysOf(map: Record<string, unknown>, budget: RenderBudget): string[] {
  const keys = Object.keys(map);
  budget.step(keys.length);
  return keys;
}

/**
 * `$base.name(args)`: a helper (on any value but null and undefined), else the method of that name
 * for the receiver's kind (string, number or boolean, list, map, helper result), else the bean getter
 * `getName()`/`isName()` of a map as velocityjs reads it; undefined when there is none.
 *
 * @example callMethod('Abc', 'toLowerCase', [], helpers, budget) // 'abc'
 */
export function callMethod(
  base: unknown,
  name: string,
  args: readonly unknown[],
  helpers: TemplateHelpers,
  budget: RenderBudget,
): unknown {
  if (base === null || base === undefined) return undefined;
  const helper = helpers.get(name);
  if (helper !== undefined) return admitted(helper(args, budget));
  if (typeof base === 'string') return stringMethods.get(name)?.(base, args, budget);
  if (typeof base === 'number' || typeof base === 'boolean')
    return scalarMethods.get(name)?.(base, args, budget);
  if (base instanceof JsonText) return jsonTextMethods.get(name)?.(base, args, budget);
  if (isList(base)) return listMethods.get(name)?.(base, args, budget);
  if (!isPlainObject(base)) return undefined;
  const method = mapMethods.get(name);
  if (method !== undefined) return method(base, args, budget);
  return beanProperty(base, name);
}

// velocityjs reads `$map.getName()` as `name` or `Name`, and `$map.isName()` likewise.
function beanProperty(map: Record<string, unknown>, name: string): unknown {
  const prefix = name.startsWith('get') ? 3 : name.startsWith('is') ? 2 : 0;
  if (prefix === 0 || name.length === prefix || Object.hasOwn(map, name)) return undefined;
  const property = name.slice(prefix);
  const value = readMember(map, property);
  if (value !== undefined) return value;
  const first = property.charAt(0);
  const flipped = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
  return readMember(map, flipped + property.slice(1));
}

/**
 * The items `#foreach` visits: the elements of an array, the values of a plain object, nothing for
 * anything else. Arrays are visited up to the length they had when the loop began.
 */
export function itemsOf(value: unknown, budget: RenderBudget): readonly unknown[] {
  if (isList(value)) return value;
  if (isPlainObject(value)) return keysOf(value, budget).map((key) => ownData(value, key));
  return [];
}

/**
 * `[begin..end]`: the integers from begin to end, either way, each charged as a step before the
 * list is made. A bound that is not a number (or number text) gives an empty list, as in velocityjs.
 */
export function rangeOf(begin: unknown, end: unknown, budget: RenderBudget): number[] {
  const from = rangeBound(begin);
  const to = rangeBound(end);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [];
  const length = Math.floor(Math.abs(to - from)) + 1;
  budget.step(length);
  const direction = from <= to ? 1 : -1;
  const range = new Array<number>(length);
  for (let i = 0; i < length; i++) range[i] = from + i * direction;
  return range;
}

function rangeBound(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseInt(value, 10);
  return NaN;
}

/**
 * The text of a value where a template writes it into text (a double-quoted string, `+` with a
 * string): as velocityjs writes it, lists as `[a, b]`, maps as `{k=v}`, helper results as their JSON.
 */
export function textOf(value: unknown, budget: RenderBudget): string {
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  writeText(value, parts, budget, new Set(), 0);
  return parts.join('');
}

function writeText(
  value: unknown,
  parts: string[],
  budget: RenderBudget,
  open: Set<object>,
  depth: number,
): void {
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'boolean':
      text = String(value);
      break;
    case 'object': {
      if (value === null) {
        text = 'null';
        break;
      }
      if (value instanceof JsonText) {
        text = value.text;
        break;
      }
      const container = entriesOf(value, budget, open, depth);
      if (container === undefined) return;
      parts.push(container.list ? '[' : '{');
      for (const [i, [key, item]] of container.entries.entries()) {
        if (i > 0) parts.push(', ');
        if (!container.list) parts.push(key, '=');
        writeText(item, parts, budget, open, depth + 1);
      }
      parts.push(container.list ? ']' : '}');
      open.delete(value);
      return;
    }
    default:
      return;
  }
  budget.chars(text.length);
  parts.push(text);
}

/** The entries of a list or map being walked, after the checks every walk makes. */
function entriesOf(
  value: object,
  budget: RenderBudget,
  open: Set<object>,
  depth: number,
): { list: boolean; entries: [string, unknown][] } | undefined {
  const list = isList(value);
  if (!list && !isPlainObject(value)) return undefined;
  if (open.has(value)) throw new TypeError('Converting circular structure to text or JSON');
  if (depth >= deepestValue)
    throw new RenderBudgetExceeded(RenderLimit.depth, `a value nested more than ${deepestValue} levels deep`);
  open.add(value);
  const entries: [string, unknown][] = list
    ? value.map((item, index) => [String(index), item])
    : Object.keys(value).map((key) => [key, ownData(value, key)]);
  budget.step(entries.length + 1);
  return { list, entries };
}

/**
 * The JSON text of a template value, as JSON.stringify writes it, its size charged to the budget.
 * Once the template has built lists or maps, the value may share parts (a list holding itself twice,
 * thirty times over), so it is walked first and refused before JSON.stringify would spend minutes and
 * gigabytes on it; before that, values are the record's own trees, no larger than the record.
 *
 * @throws TypeError for a value that contains itself, as JSON.stringify does.
 */
export function jsonTextOf(value: unknown, budget: RenderBudget): string {
  if (budget.containersBuilt) chargeJsonSize(value, budget);
  const text = JSON.stringify(value) ?? 'null';
  if (!budget.containersBuilt) budget.chars(text.length);
  return text;
}

/**
 * {@link jsonTextOf} whose text is made only if read, for data that does not change afterwards (the
 * renders of compiled templates never write into data): the budget is charged the same, the text's
 * exact length found without making the text for a scalar, or a list or map of scalars.
 */
export function deferredJsonText(value: unknown, budget: RenderBudget): JsonText {
  const length = budget.containersBuilt ? undefined : jsonTextLength(value);
  if (length === undefined) return new JsonText(jsonTextOf(value, budget), false, value);
  budget.chars(length);
  return JsonText.deferred(value, length);
}

// What JSON.stringify escapes in a string: quotes, backslashes, control characters and (lone) surrogates.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
const escapedInJson = /["\\\u0000-\u001f\ud800-\udfff]/;

function scalarJsonLength(value: unknown): number | undefined {
  if (typeof value === 'string') return escapedInJson.test(value) ? undefined : value.length + 2;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).length : 4;
  if (typeof value === 'boolean') return value ? 4 : 5;
  return value === null ? 4 : undefined;
}

/** `JSON.stringify(value).length` for a scalar, or a list or map of scalars; undefined for anything else. */
function jsonTextLength(value: unknown): number | undefined {
  const scalar = scalarJsonLength(value);
  if (scalar !== undefined || typeof value !== 'object' || value === null) return scalar;
  let length = 2;
  let count = 0;
  if (isList(value)) {
    for (const item of value) {
      const itemLength = scalarJsonLength(item);
      if (itemLength === undefined) return undefined;
      length += itemLength;
      count++;
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined) continue; // left out by JSON.stringify
      const keyLength = scalarJsonLength(key);
      const itemLength = scalarJsonLength(item);
      if (keyLength === undefined || itemLength === undefined) return undefined;
      length += keyLength + 1 + itemLength;
      count++;
    }
  } else {
    return undefined;
  }
  return count === 0 ? length : length + count - 1;
}

/** Charges the size of a value's JSON text, walking it once. */
export function chargeJsonSize(value: unknown, budget: RenderBudget): void {
  chargeJson(value, budget, new Set(), 0);
}

function chargeJson(value: unknown, budget: RenderBudget, open: Set<object>, depth: number): void {
  if (typeof value === 'string') {
    budget.chars(value.length + 2);
    return;
  }
  if (typeof value !== 'object' || value === null) {
    budget.chars(8);
    return;
  }
  if (value instanceof JsonText) {
    budget.chars(value.textLength);
    return;
  }
  const container = entriesOf(value, budget, open, depth);
  if (container === undefined) return;
  for (const [key, item] of container.entries) {
    budget.chars(container.list ? 1 : key.length + 4);
    chargeJson(item, budget, open, depth + 1);
  }
  open.delete(value);
}

/**
 * The operators of Velocity expressions. On numbers, strings, booleans and null they are
 * JavaScript's (as in velocityjs); a list, map or helper result takes part as its text (`+`, `==`)
 * or not at all (NaN for arithmetic, false for comparisons), so that no coercion runs its methods.
 */
export function applyOperator(
  operator: string,
  left: unknown,
  right: unknown,
  budget: RenderBudget,
): unknown {
  const primitive = isPrimitive(left) && isPrimitive(right);
  switch (operator) {
    case '+': {
      if (primitive) {
        const sum: unknown = (left as number) + (right as number);
        if (typeof sum === 'string') budget.chars(sum.length);
        return sum;
      }
      const text = textOf(left, budget) + textOf(right, budget);
      budget.chars(text.length);
      return text;
    }
    case '-':
      return numberOf(left) - numberOf(right);
    case '*':
      return numberOf(left) * numberOf(right);
    case '/':
      return numberOf(left) / numberOf(right);
    case '%':
      return numberOf(left) % numberOf(right);
    case '>':
      return primitive && (left as number) > (right as number);
    case '<':
      return primitive && (left as number) < (right as number);
    case '>=':
      return primitive && (left as number) >= (right as number);
    case '<=':
      return primitive && (left as number) <= (right as number);
    case '==':
      return looselyEqual(left, right, budget);
    case '!=':
      return !looselyEqual(left, right, budget);
    default:
      throw new TypeError(`unknown operator ${operator}`);
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function numberOf(value: unknown): number {
  return isPrimitive(value) ? Number(value) : NaN;
}

function looselyEqual(left: unknown, right: unknown, budget: RenderBudget): boolean {
  if (left === right) return true;
  const leftPrimitive = isPrimitive(left);
  const rightPrimitive = isPrimitive(right);
  // Velocity's == on scalars is velocityjs' loose equality.
  if (leftPrimitive && rightPrimitive) return left == right;
  if (!leftPrimitive && !rightPrimitive) return false;
  const [object, scalar] = leftPrimitive ? [right, left] : [left, right];
  // A list or map equals a scalar when its text does, as in Velocity.
  return textOf(object, budget) == scalar;
}
