import fc from 'fast-check';

/**
 * Arbitrary text: full unicode with lone surrogates and control characters, plus strings made to
 * break naive string pasting (quotes, backslashes, JSON fragments, the engine's own token shape,
 * Velocity syntax, line and paragraph separators).
 */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '"',
    '\\',
    '\\"',
    '", "channel": "hacked", "x": "',
    '"}, "channel": "hacked", "tags": {"a": "',
    '</script><script>alert(1)</script>',
    '\u2028\u2029\u0000\u001f',
    '\uE0000\uE000',
    '\uE000\uE0011\uE001',
    '$!{eventType}',
    '#set($x = 1)',
    '\ud800',
    '\udc00x\ud83d',
    '🎉👩‍👩‍👧',
  ),
);
