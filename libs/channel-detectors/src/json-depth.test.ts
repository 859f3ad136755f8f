import { jsonNestsTooDeep, maximumJsonDepth } from './json-depth';

const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const objects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('jsonNestsTooDeep', () => {
  it.each([
    ['arrays at the limit', arrays(maximumJsonDepth), false],
    ['arrays one level past it', arrays(maximumJsonDepth + 1), true],
    ['objects at the limit', objects(maximumJsonDepth), false],
    ['objects one level past it', objects(maximumJsonDepth + 1), true],
    ['arrays and objects taking turns past it', `${'[{"a":'.repeat(65)}1${'}]'.repeat(65)}`, true],
    ['brackets in strings', JSON.stringify({ a: '['.repeat(1000), b: ['{'.repeat(1000)] }), false],
    [
      'brackets after escaped quotes and backslashes in strings',
      JSON.stringify({ a: `\\"${'['.repeat(1000)}`, b: `\\${'{'.repeat(1000)}"` }),
      false,
    ],
    ['siblings that each stay within it', `[${Array(300).fill(objects(100)).join(',')}]`, false],
    ['a scalar', '"x"', false],
    ['brackets in a string that never ends', `["${'['.repeat(1000)}`, false],
  ])('says whether %s nest too deep', (_what, text, expected) => {
    expect(jsonNestsTooDeep(text)).toBe(expected);
  });
});
