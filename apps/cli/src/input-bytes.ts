import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { binaryContentOf } from './binary-content';
import { CliError } from './cli-error';
import { PeekedBytes } from './peeked-bytes';

const gzipMagic = [0x1f, 0x8b];
const utf8Bom = [0xef, 0xbb, 0xbf];
// Bytes read before an input is judged text or binary: enough to tell, few enough that the first
// records of a slow stdin are not held back.
const judgedBytes = 512;

/**
 * The bytes of one input (a file or stdin) as the record reader reads them: decompressed when they
 * are gzip (told by their first bytes, whatever the name), without a UTF-8 byte order mark at the
 * start. Throws CliError (exit status 2) naming the input when it is binary data (an image, a
 * Parquet file, random bytes, another compression) or damaged gzip.
 *
 * @example for await (const chunk of inputBytes(fs.createReadStream('day.jsonl.gz'), 'day.jsonl.gz')) ...
 */
export async function* inputBytes(
  source: AsyncIterable<Buffer | string>,
  name: string,
): AsyncGenerator<Buffer> {
  let bytes = new PeekedBytes(source);
  if (startsWith(await bytes.atLeast(gzipMagic.length), gzipMagic)) {
    bytes = new PeekedBytes(gunzipped(bytes.rest(), name));
  }
  const head = await bytes.atLeast(judgedBytes);
  if (startsWith(head, utf8Bom)) bytes.skip(utf8Bom.length);
  const binary = binaryContentOf(bytes.head);
  if (binary !== undefined) {
    await bytes.close();
    throw new CliError(
      `cannot read ${name}: it is ${binary}; expected raw events as JSON Lines, a JSON document or a JSON array, or gzip of one`,
    );
  }
  yield* bytes.rest();
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

async function* gunzipped(compressed: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const output = pipeline(Readable.from(compressed), zlib.createGunzip(), () => undefined);
  try {
    for await (const chunk of output) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !code.startsWith('Z_')) throw error;
    throw new CliError(
      `cannot read ${name}: its gzip data is damaged (${(error as Error).message})`,
      undefined,
      {
        cause: error,
      },
    );
  } finally {
    output.destroy();
  }
}
