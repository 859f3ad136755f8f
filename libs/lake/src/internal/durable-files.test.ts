import { unwrittenAfter } from './durable-files';

const text = (...parts: string[]): Uint8Array[] => parts.map((part) => Buffer.from(part));
const asText = (buffers: Uint8Array[]): string[] => buffers.map((buffer) => Buffer.from(buffer).toString());

describe('unwrittenAfter', () => {
  it.each([
    [0, ['abc', 'de']],
    [2, ['c', 'de']],
    [3, ['de']],
    [4, ['e']],
    [5, []],
  ])('leaves what a write of %i bytes did not reach, empty buffers dropped', (written, expected) => {
    expect(asText(unwrittenAfter(text('', 'abc', '', 'de', ''), written))).toEqual(expected);
  });
});
