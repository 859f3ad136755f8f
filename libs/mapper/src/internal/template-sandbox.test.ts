import fc from 'fast-check';
import { javascriptNames } from '../../test/javascript-names';
import { JsonText } from './json-text';
import { RenderBudget, RenderBudgetExceeded, recordLimits } from './render-budget';
import {
  type TemplateHelpers,
  admitted,
  applyOperator,
  callMethod,
  itemsOf,
  jsonTextOf,
  rangeOf,
  readMember,
  textOf,
  writeMember,
} from './template-sandbox';

const budget = () => new RenderBudget(recordLimits(1_000, 1));
const helpers: TemplateHelpers = new Map([
  ['toJson', (args: readonly unknown[]) => new JsonText(JSON.stringify(args[0]), false)],
]);

const forbiddenNames = javascriptNames;

function isTemplateData(value: unknown): boolean {
  return admitted(value) !== undefined || value === undefined;
}

describe('readMember', () => {
  it.each([
    ['an own field of a map', { a: 1 }, 'a', 1],
    ['an own "constructor" field the data holds', { constructor: 'x' }, 'constructor', 'x'],
    ['an element of a list by number', ['x', 'y'], 1, 'y'],
    ['an element of a list by index text', ['x', 'y'], '1', 'y'],
    ['the length of a list', ['x', 'y'], 'length', 2],
    ['the size of a list', ['x', 'y'], 'size', 2],
    ['a character of a string', 'abc', 2, 'c'],
    ['the length of a string', 'abc', 'length', 3],
  ])('reads %s', (_what, base, key, expected) => {
    expect(readMember(base, key)).toEqual(expected);
  });

  it.each(forbiddenNames.map((name) => [name]))(
    'reads %s of data as undefined unless the data holds it',
    (name) => {
      for (const base of [{}, [], 'text', 1, true, new JsonText('{}', false), Object.create(null) as object])
        expect(readMember(base, name)).toBeUndefined();
    },
  );

  it.each([
    ['a list index out of range', ['x'], 1],
    ['a list index that is not canonical', ['x'], '01'],
    ['a negative index', ['x'], -1],
    ['a field of a helper result', new JsonText('{"a":1}', false, { a: 1 }), 'text'],
    ['a field of a number', 5, 'toFixed'],
    ['a field of a function', () => 1, 'name'],
    ['a field of a class instance', new Date(0), 'getTime'],
  ])('reads %s as undefined', (_what, base, key) => {
    expect(readMember(base, key)).toBeUndefined();
  });

  it('never returns a function or an object of a class, whatever the data and the name', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withDate: true,
        }),
        fc.oneof(fc.constantFrom(...forbiddenNames), fc.string(), fc.integer()),
        (base, key) => {
          const value = readMember(base, key);

          expect(isTemplateData(value)).toBe(true);
          if (value !== undefined && typeof base === 'object' && base !== null && !Array.isArray(base))
            expect(Object.prototype.hasOwnProperty.call(base, key)).toBe(true);
        },
      ),
    );
  });
});

describe('callMethod', () => {
  it.each([
    ['toLowerCase of a string', 'AbC', 'toLowerCase', [], 'abc'],
    ['substring of a string', 'abcdef', 'substring', [1, 3], 'bc'],
    ['contains of a string', 'abcdef', 'contains', ['cd'], true],
    ['replace of a string, literally and everywhere', 'a.b.c', 'replace', ['.', '$&'], 'a$&b$&c'],
    ['size of a list', [1, 2, 3], 'size', [], 3],
    ['get of a list', ['x', 'y'], 'get', [1], 'y'],
    ['size of a map', { a: 1, b: 2 }, 'size', [], 2],
    ['keySet of a map', { a: 1, b: 2 }, 'keySet', [], ['a', 'b']],
    ['entrySet of a map', { a: 1 }, 'entrySet', [], [{ key: 'a', value: 1 }]],
    ['a bean getter of a map', { name: 'n' }, 'getName', [], 'n'],
    ['toString of a number', 1.5, 'toString', [], '1.5'],
    ['a helper on any value', 5, 'toJson', [{ a: 1 }], new JsonText('{"a":1}', false)],
  ])('calls %s', (_what, base, name, args, expected) => {
    expect(callMethod(base, name, args, helpers, budget())).toEqual(expected);
  });

  it.each(forbiddenNames.map((name) => [name]))('finds no method %s on any value', (name) => {
    for (const base of [{}, [], 'text', 1, true, new JsonText('{}', false), () => 1, new Date(0)]) {
      if (name === 'toString' && ['string', 'number', 'boolean'].includes(typeof base)) continue;
      if (name === 'toString' && base instanceof JsonText) continue;
      expect(callMethod(base, name, ['return 1'], helpers, budget())).toBeUndefined();
    }
  });

  it('never returns a function or an object of a class, whatever the receiver, name and arguments', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withDate: true, withMap: true }),
        fc.oneof(
          fc.constantFrom(...forbiddenNames, 'get', 'getClass', 'entrySet', 'values', 'substring'),
          fc.string(),
        ),
        fc.array(fc.anything(), { maxLength: 2 }),
        (base, name, args) => {
          expect(isTemplateData(callMethod(base, name, args, helpers, budget()))).toBe(true);
        },
      ),
    );
  });
});

describe('writeMember', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('refuses to write %s', (key) => {
    const target: Record<string, unknown> = {};

    expect(writeMember(target, key, { polluted: true }, budget())).toBe(false);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual([]);
  });

  it('writes own fields of maps and elements of lists, the next index included', () => {
    const map: Record<string, unknown> = {};
    const list = ['a'];

    expect(writeMember(map, 'toString', 'x', budget())).toBe(true);
    expect(writeMember(list, 1, 'b', budget())).toBe(true);
    expect(writeMember(list, 5, 'c', budget())).toBe(false);
    expect(map).toEqual({ toString: 'x' });
    expect(list).toEqual(['a', 'b']);
  });

  it.each([
    ['a string', 'text'],
    ['a helper result', new JsonText('{}', false)],
    ['a function', () => 1],
  ])('writes nothing into %s', (_what, target) => {
    expect(writeMember(target, 'x', 1, budget())).toBe(false);
  });
});

describe('itemsOf and rangeOf', () => {
  it('visits the elements of a list and the values of a map, nothing of anything else', () => {
    expect(itemsOf([1, 2], budget())).toEqual([1, 2]);
    expect(itemsOf({ a: 1, b: 'x' }, budget())).toEqual([1, 'x']);
    expect(itemsOf('abc', budget())).toEqual([]);
    expect(itemsOf(new JsonText('[1]', false, [1]), budget())).toEqual([]);
  });

  it.each([
    [1, 3, [1, 2, 3]],
    [3, 1, [3, 2, 1]],
    ['2', '4', [2, 3, 4]],
    [{}, 3, []],
  ])('makes [%p..%p] as %p', (begin, end, expected) => {
    expect(rangeOf(begin, end, budget())).toEqual(expected);
  });

  it('refuses a range longer than the budget before making it', () => {
    const make = () => rangeOf(1, 100_000_000, budget());

    expect(make).toThrow(RenderBudgetExceeded);
    expect(make).toThrow(expect.objectContaining({ limit: 'steps' }));
  });
});

describe('textOf and jsonTextOf', () => {
  it('writes lists and maps as velocityjs does, helper results as their JSON', () => {
    expect(textOf(['a', 1, null], budget())).toBe('[a, 1, null]');
    expect(textOf({ a: 'x', b: [true] }, budget())).toBe('{a=x, b=[true]}');
    expect(textOf(new JsonText('{"a":1}', false), budget())).toBe('{"a":1}');
  });

  it('refuses a value built of shared parts before JSON.stringify spends minutes on it', () => {
    const recordBudget = budget();
    recordBudget.containerBuilt();
    let shared: unknown = ['x'];
    for (let i = 0; i < 40; i++) shared = [shared, shared];

    expect(() => jsonTextOf(shared, recordBudget)).toThrow(RenderBudgetExceeded);
    expect(() => textOf(shared, budget())).toThrow(RenderBudgetExceeded);
  });

  it('says a value holding itself is circular, as JSON.stringify does', () => {
    const recordBudget = budget();
    recordBudget.containerBuilt();
    const loop: Record<string, unknown> = {};
    loop.self = loop;

    expect(() => jsonTextOf(loop, recordBudget)).toThrow(/circular/);
  });
});

describe('applyOperator', () => {
  it.each([
    ['+', 1, 2, 3],
    ['+', 'a', 1, 'a1'],
    ['+', ['a'], 'b', '[a]b'],
    ['-', '5', 2, 3],
    ['-', {}, 1, NaN],
    ['==', 1, '1', true],
    ['==', ['a'], '[a]', true],
    ['<', {}, 1, false],
  ])('applies %s to %p and %p', (operator, left, right, expected) => {
    expect(applyOperator(operator, left, right, budget())).toEqual(expected);
  });

  it('runs no method of an object it is given', () => {
    const calls: string[] = [];
    const object = {
      toString: () => (calls.push('toString'), 'x'),
      valueOf: () => (calls.push('valueOf'), 1),
    };

    for (const operator of ['+', '-', '*', '/', '%', '<', '>', '<=', '>=', '==', '!='])
      applyOperator(operator, object, 1, budget());

    expect(calls).toEqual([]);
  });
});
