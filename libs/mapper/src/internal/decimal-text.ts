/** A number as plain decimal text, never in exponent form, so that Athena can CAST it to DECIMAL. */
export function decimalText(value: number): string {
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = value < 0;
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const point = mantissa.indexOf('.');
  const digits = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  const integerDigits = (point < 0 ? mantissa.length : point) + exponent;
  let result: string;
  if (integerDigits <= 0) result = '0.' + '0'.repeat(-integerDigits) + digits;
  else if (integerDigits >= digits.length) result = digits + '0'.repeat(integerDigits - digits.length);
  else result = digits.slice(0, integerDigits) + '.' + digits.slice(integerDigits);
  return (negative ? '-' : '') + result;
}
