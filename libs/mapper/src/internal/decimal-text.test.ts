import { decimalText } from './decimal-text';

describe('decimalText', () => {
  it.each([
    [0.00581, '0.00581'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-8, '-0.000000025'],
    [1e21, '1000000000000000000000'],
    [1.25e22, '12500000000000000000000'],
    [42, '42'],
  ])('writes %p as %p', (value, text) => {
    expect(decimalText(value)).toBe(text);
  });
});
