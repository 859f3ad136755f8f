import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { eventIdsOf, eventRowOf, wellFormed } from './event-row';

const sha256Id = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

describe('eventIdsOf', () => {
  it('gives each position the first 32 hex digits of sha256(raw event text, NUL, position)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.array(fc.nat(20_000), { maxLength: 5 }),
        (text, positions) => {
          const idAt = eventIdsOf(text);

          expect([0, ...positions].map((position) => idAt(position))).toEqual(
            [0, ...positions].map((position) => sha256Id(`${text}\u0000${position}`)),
          );
        },
      ),
    );
  });
});

describe('wellFormed', () => {
  it.each([
    ['a lone high surrogate', 'x\ud800y', 'x\ufffdy'],
    ['a lone low surrogate at the end', 'x\udc00', 'x\ufffd'],
    ['a pair the wrong way round', '\udc00\ud83d', '\ufffd\ufffd'],
    ['a pair', 'party 🎉', 'party 🎉'],
  ])('replaces %s as UTF-8 does', (_what, text, expected) => {
    expect(wellFormed(text)).toBe(expected);
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(expected);
  });
});

describe('eventRowOf', () => {
  const base = { channel: 'email', timestamp: 1741964966017 };

  it('stores every string column, map key and value and address as well-formed Unicode', () => {
    const lone = 'a\ud800b';

    const result = eventRowOf(
      {
        ...base,
        statusMessage: lone,
        destinationAddress: [lone],
        tags: { [lone]: lone },
        channelData: { subject: lone },
        rawStatus: lone,
      },
      `{"x":"${lone}"}`,
      'id',
    );

    expect(result).toMatchObject({
      ok: true,
      value: {
        statusMessage: 'a\ufffdb',
        destinationAddress: ['a\ufffdb'],
        tags: { 'a\ufffdb': 'a\ufffdb' },
        channelData: { subject: 'a\ufffdb' },
        rawStatus: 'a\ufffdb',
        rawEvent: '{"x":"a\ufffdb"}',
      },
    });
  });

  it.each([
    ['the start of 1970', 0, true],
    ['the last millisecond of 9999', 253402300799999, true],
    ['a millisecond later', 253402300800000, false],
    ['a time no date can hold', 9_000_000_000_000_000, false],
    ['a time before 1970', -1, false],
  ])('%s as timestamp is %s', (_what, timestamp, accepted) => {
    const result = eventRowOf({ ...base, timestamp }, '{}', 'id');

    expect(result.ok).toBe(accepted);
    if (!result.ok)
      expect(result.error.message).toMatch(
        /^\$\.timestamp expected epoch milliseconds from 1970-01-01 to 9999-12-31/,
      );
  });
});
