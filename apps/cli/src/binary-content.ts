interface Signature {
  readonly bytes: readonly number[];
  readonly what: string;
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

// What files are recognised by their first bytes, and what to do about the compressed ones. gzip is
// not here: the reader decompresses it.
const signatures: readonly Signature[] = [
  { bytes: [0x89, ...ascii('PNG\r\n'), 0x1a, 0x0a], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: ascii('GIF8'), what: 'a GIF image' },
  { bytes: ascii('%PDF-'), what: 'a PDF document' },
  {
    bytes: ascii('PAR1'),
    what: "a Parquet file (to query Parquet files, copy them into the lake's hour folders and run engagement-db adopt)",
  },
  { bytes: [...ascii('Obj'), 0x01], what: 'an Avro file' },
  { bytes: [...ascii('SQLite format 3'), 0x00], what: 'a SQLite database' },
  { bytes: [0x7f, ...ascii('ELF')], what: 'an executable' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive; unzip it and give the files inside' },
  { bytes: [0xfd, ...ascii('7zXZ'), 0x00], what: 'xz-compressed; decompress it first (xz -d)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed; decompress it first (zstd -d)' },
  ...ascii('123456789').map((level) => ({
    bytes: [...ascii('BZh'), level],
    what: 'bzip2-compressed; decompress it first (bunzip2)',
  })),
  { bytes: [0xff, 0xfe], what: utf16('UTF-16LE') },
  { bytes: [0xfe, 0xff], what: utf16('UTF-16BE') },
];

function utf16(encoding: string): string {
  return `${encoding} text; convert it to UTF-8 first (iconv -f ${encoding} -t UTF-8)`;
}

// Text has none of these: NUL and the C0 controls other than tab, line feed, vertical tab, form feed,
// carriage return and ESC (coloured logs hold ESC).
const isControlByte = (byte: number): boolean =>
  byte < 0x20 &&
  byte !== 0x09 &&
  byte !== 0x0a &&
  byte !== 0x0b &&
  byte !== 0x0c &&
  byte !== 0x0d &&
  byte !== 0x1b;
// A text file with a few bytes of another encoding (a Latin-1 name) is still read line by line: its
// records are kept with their bytes. Past this share of the first bytes it is not text at all.
const largestNonTextShare = 0.1;
// A short input with a few such bytes is judged by its records instead.
const fewestNonTextBytes = 16;

/**
 * What the first bytes of an input say it is, when it is not text: `'a PNG image'`, `'binary data
 * (...)'`; undefined for text, which the record reader then reads.
 *
 * @example binaryContentOf(fs.readFileSync('photo.png')) // 'a PNG image'
 */
export function binaryContentOf(head: Buffer): string | undefined {
  const signature = signatures.find(({ bytes }) => bytes.every((byte, i) => head[i] === byte));
  if (signature) return signature.what;
  if (head.length === 0) return undefined;
  let controls = 0;
  const zeros = [0, 0]; // at even and at odd positions
  for (let i = 0; i < head.length; i += 1) {
    if (isControlByte(head[i])) controls += 1;
    if (head[i] === 0) zeros[i % 2] += 1;
  }
  // UTF-16 without a byte order mark: a zero beside nearly every character (ASCII ones).
  const half = head.length / 2;
  if (head.length >= 8 && zeros[1] >= half * 0.9) return utf16('UTF-16LE');
  if (head.length >= 8 && zeros[0] >= half * 0.9) return utf16('UTF-16BE');
  const notUtf8 = countOf(head.toString('utf8'), '\uFFFD');
  const nonText = controls + notUtf8;
  if (nonText <= Math.max(head.length * largestNonTextShare, fewestNonTextBytes)) return undefined;
  return `binary data, not UTF-8 text (${nonText} of its first ${head.length} bytes are control characters or not UTF-8)`;
}

function countOf(text: string, character: string): number {
  let count = 0;
  for (let at = text.indexOf(character); at !== -1; at = text.indexOf(character, at + 1)) count += 1;
  return count;
}
