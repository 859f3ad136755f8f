import { AthenaViewQueryError, boundedLine, maxMessageBytes } from './errors';

describe('boundedLine', () => {
  it('puts a multi-line reason on one line', () => {
    expect(boundedLine('Binder Error: no column\n\nLINE 1: SELECT x\n        ^')).toBe(
      'Binder Error: no column LINE 1: SELECT x ^',
    );
  });

  it.each([
    ['ASCII', 'x'],
    ['two-byte characters', 'é'],
    ['four-byte characters', '😀'],
    ['characters JSON escapes', '"\\'],
  ])(
    'cuts a long text of %s on a character boundary, within the bytes it may take as JSON',
    (_case, unit) => {
      // Act
      const line = boundedLine(unit.repeat(5000));

      // Assert
      const bytes = Buffer.byteLength(JSON.stringify(line));
      expect(bytes).toBeLessThanOrEqual(maxMessageBytes);
      expect(bytes).toBeGreaterThan(maxMessageBytes - 8);
      expect(line.endsWith('…')).toBe(true);
      expect(unit.repeat(5000).startsWith(line.slice(0, -1))).toBe(true);
    },
  );
});

describe('AthenaViewQueryError', () => {
  it('has a one-line stack, so the framework adds no frames to the reason', () => {
    // Act
    const error = new AthenaViewQueryError('DROP VIEW IF EXISTS "db"."v" FAILED:\nno such database');

    // Assert
    expect(error.name).toBe('AthenaViewQueryError');
    expect(error.message).toBe('DROP VIEW IF EXISTS "db"."v" FAILED: no such database');
    expect(error.stack).toBe(`AthenaViewQueryError: ${error.message}`);
  });
});
