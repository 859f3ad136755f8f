import { SkeletonReader } from './json-skeleton';
import { JsonText } from './json-text';

const marker = '\uE000';
const token = (index: number) => `${marker}${index}${marker}`;

describe('SkeletonReader', () => {
  const reader = new SkeletonReader(marker);

  it.each([
    ['a string inside quotes', `{"a": "${token(0)}"}`, ['x"\\\n\u0000'], { a: 'x"\\\n\u0000' }],
    ['text around a value', `{"a": "<${token(0)}>"}`, ['v'], { a: '<v>' }],
    ['a number inside quotes as decimal text', `{"a": "${token(0)}"}`, [1e-7], { a: '0.0000001' }],
    ['an object inside quotes as JSON', `{"a": "${token(0)}"}`, [{ b: [1] }], { a: '{"b":[1]}' }],
    ['a missing value inside quotes as empty text', `{"a": "${token(0)}"}`, [undefined], { a: '' }],
    ['a string as a whole value', `{"a": ${token(0)}}`, ['x'], { a: 'x' }],
    ['a number as a whole value', `{"a": ${token(0)}}`, [12.5], { a: 12.5 }],
    ['a missing value as null', `{"a": ${token(0)}}`, [undefined], { a: null }],
    ['NaN as null', `{"a": ${token(0)}}`, [NaN], { a: null }],
    ['JSON text as its value', `{"a": ${token(0)}}`, [new JsonText('{"b":2}', false)], { a: { b: 2 } }],
    [
      'escaped JSON text as a string',
      `{"a": ${token(0)}}`,
      [new JsonText('{"b":2}', true)],
      { a: '{"b":2}' },
    ],
    [
      'JSON text inside quotes as its text',
      `{"a": "${token(0)}"}`,
      [new JsonText('[1]', false)],
      { a: '[1]' },
    ],
    ['trailing commas', `{"a": [1, 2,], "b": {"c": true,},}`, [], { a: [1, 2], b: { c: true } }],
    ['the template escapes', '{"a\\u0041": "\\"\\\\\\/\\b\\f\\n\\r\\t"}', [], { aA: '"\\/\b\f\n\r\t' }],
    [
      'a field named __proto__ as a field',
      `{"__proto__": {"polluted": true}}`,
      [],
      JSON.parse('{"__proto__": {"polluted": true}}'),
    ],
    [
      'a value holding a token shape as text',
      `{"a": "${token(0)}", "b": "${token(1)}"}`,
      [token(1), 'two'],
      { a: token(1), b: 'two' },
    ],
  ])('reads %s', (_what, skeleton, values, expected) => {
    const reading = reader.read(skeleton, values);

    expect(reading).toEqual({ ok: true, value: expected });
  });

  it('fills a cached skeleton with the values of each render', () => {
    const skeleton = `{"a": "${token(0)}"}`;

    const first = reader.read(skeleton, ['one']);
    const second = reader.read(skeleton, ['two']);

    expect([first, second]).toEqual([
      { ok: true, value: { a: 'one' } },
      { ok: true, value: { a: 'two' } },
    ]);
  });

  it.each([
    ['text after the document', '{"a": 1} x', 'expected the end of the output at line 1, column 10'],
    ['a missing comma', '{"a": 1\n "b": 2}', 'expected "," or "}" at line 2, column 2'],
    ['a bare word', '{"a": yes}', 'expected a JSON value at line 1, column 7'],
    ['an unterminated string', '{"a": "x', 'unterminated string'],
    ['an invalid escape', '{"a": "\\x"}', 'invalid escape in string'],
    ['an unquoted field name', '{a: 1}', 'expected a quoted field name or "}"'],
  ])('reports %s with its line and column', (_what, skeleton, message) => {
    const reading = reader.read(skeleton, []);

    expect(reading).toEqual({ ok: false, error: expect.stringContaining(message) });
  });
});
