const isoWithFraction = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Converts a timestamp as the messaging services write it to integer epoch milliseconds.
 * Accepts epoch seconds or milliseconds (number or digits), and ISO 8601 text with any number of
 * fraction digits (WhatsApp writes nanoseconds). Returns undefined when the value is no timestamp.
 *
 * @example toEpochMillis('2025-01-08T23:30:43.271279391Z') // 1736379043271
 */
export function toEpochMillis(value: unknown): number | undefined {
  if (typeof value === 'number') return fromEpochNumber(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromEpochNumber(Number(text));
  const iso = isoWithFraction.exec(text);
  if (!iso) return undefined;
  const [, seconds, fraction = '', zone = 'Z'] = iso;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const parsed = Date.parse(`${seconds}.${millis}${zone}`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

// Epoch values below this are seconds (it is 2286-11-20 in seconds, 1970-04-26 in milliseconds).
const largestEpochSeconds = 9_999_999_999;

function fromEpochNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const millis = value <= largestEpochSeconds ? value * 1000 : value;
  return Number.isSafeInteger(Math.floor(millis)) ? Math.floor(millis) : undefined;
}

/** The UTC hour a timestamp falls in, as the `YYYY/MM/DD/HH` parts used by S3 and the local lake. */
export interface PartitionHour {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
}

/**
 * The hourly partition of an epoch-millisecond timestamp, in UTC.
 *
 * @example partitionHourOf(1736379043271) // { year: '2025', month: '01', day: '08', hour: '23' }
 */
export function partitionHourOf(epochMillis: number): PartitionHour {
  const iso = new Date(epochMillis).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10), hour: iso.slice(11, 13) };
}

/**
 * The partition folder of a timestamp: `YYYY/MM/DD/HH`.
 *
 * @example partitionPathOf(1736379043271) // '2025/01/08/23'
 */
export function partitionPathOf(epochMillis: number): string {
  const { year, month, day, hour } = partitionHourOf(epochMillis);
  return `${year}/${month}/${day}/${hour}`;
}
