import { flatHeader } from './flat-format.ts';
import { checkFlatBytes, COMMENT_OR_BLANK, mayBeCommentOrBlank } from './flat-text.ts';

/**
 * A flat file's bytes, checked, and the places of a few keys in them: what
 * the flat-file backend needs to read one record, or to write a few by
 * splicing their lines into the file as it is, without decoding or
 * re-serialising the rest (docs/decisions.md). That works on a file already
 * in the form serializeFlat writes ("canonical"); any other file is parsed
 * whole (parseFlat), which also names a line without "=".
 */
export interface FlatScan {
  readonly bytes: Buffer;
  /**
   * Whether the file's records are as serializeFlat writes them: comments
   * and blank lines (the header) only before the first record, keys
   * strictly increasing in byte order, a newline after the last. When
   * false, nothing below is known (no places).
   */
  readonly canonical: boolean;
  /** Where the first record line starts (the end of the file when none). */
  readonly bodyStart: number;
  /** For each key asked about: the byte range of its line (newline included), or an empty range where it would go. */
  readonly places: ReadonlyMap<string, { readonly start: number; readonly end: number }>;
}

/**
 * Checks a file's bytes as parseFlat checks text (E_DB_CORRUPT naming
 * `source` and the line: invalid UTF-8, a control character) and, if it is
 * canonical, finds the keys: one pass of string searches over the bytes
 * read as Latin-1 (one character a byte, so that string order is the byte
 * order of UTF-8 keys), one comparison per line.
 */
export function scanFlat(bytes: Buffer, source: string, keys: Iterable<string>): FlatScan {
  checkFlatBytes(bytes, source);
  const wanted = [...new Set(keys)].filter(isWellFormed).map((key) => [toLatin1(key), key] as const);
  wanted.sort(([a], [b]) => (a < b ? -1 : 1));
  const places = new Map<string, { start: number; end: number }>();
  const text = bytes.toString('latin1');
  const length = text.length;
  const notCanonical: FlatScan = { bytes, canonical: false, bodyStart: 0, places: new Map() };
  let start = 0;
  while (start < length && isCommentOrBlank(bytes, text, start)) {
    const end = text.indexOf('\n', start);
    if (end === -1) return { bytes, canonical: true, bodyStart: length, places: placesAtEnd(wanted, length) };
    start = end + 1;
  }
  const bodyStart = start;
  let next = 0;
  let previous: string | undefined;
  while (start < length) {
    const eq = text.indexOf('=', start);
    const end = eq === -1 ? -1 : text.indexOf('\n', eq);
    if (end === -1) return notCanonical;
    const key = text.slice(start, eq);
    // a line without "=" (the key would hold a newline), a comment, keys out of order
    if (key.includes('\n') || isCommentOrBlank(bytes, text, start)) return notCanonical;
    if (previous !== undefined && !(previous < key)) return notCanonical;
    previous = key;
    for (; next < wanted.length && wanted[next]![0] <= key; next++) {
      places.set(wanted[next]![1], wanted[next]![0] === key ? { start, end: end + 1 } : { start, end: start });
    }
    start = end + 1;
  }
  for (; next < wanted.length; next++) places.set(wanted[next]![1], { start: length, end: length });
  return { bytes, canonical: true, bodyStart, places };
}

function placesAtEnd(wanted: readonly (readonly [string, string])[], length: number): Map<string, { start: number; end: number }> {
  return new Map(wanted.map(([, key]) => [key, { start: length, end: length }]));
}

/** A key with a lone surrogate has no UTF-8 of its own (Buffer.from makes it U+FFFD): no file holds it. */
function isWellFormed(key: string): boolean {
  return !/\p{Cs}/u.test(key);
}

function toLatin1(key: string): string {
  return Buffer.from(key).toString('latin1');
}

/** Whether the line at `start` of the Latin-1 text is a comment or blank, decoded only if its first byte allows it. */
function isCommentOrBlank(bytes: Buffer, text: string, start: number): boolean {
  if (!mayBeCommentOrBlank(text.charCodeAt(start))) return false;
  const end = text.indexOf('\n', start);
  return COMMENT_OR_BLANK.test(bytes.toString('utf8', start, end === -1 ? text.length : end));
}

/** The raw value of a key asked about in a canonical scan, or undefined when absent. */
export function rawAt(scan: FlatScan, key: string): string | undefined {
  const place = scan.places.get(key);
  if (place === undefined || place.end === place.start) return undefined;
  return scan.bytes.toString('utf8', place.start + Buffer.byteLength(key) + 1, place.end - 1);
}

/**
 * What serializeFlat writes for a canonical file's records with these
 * changes (key asked about → its new raw value, or undefined to delete),
 * byte for byte, built from the untouched bytes.
 */
export function spliceFlat(scan: FlatScan, changes: ReadonlyMap<string, string | undefined>, now: Date): Buffer {
  if (!scan.canonical) throw new Error('spliceFlat needs a canonical scan');
  const { bytes } = scan;
  const edits = [...changes].map(([key, raw]) => {
    const place = scan.places.get(key);
    if (place === undefined) throw new Error(`spliceFlat: key ${JSON.stringify(key)} was not scanned for`);
    return { ...place, order: toLatin1(key), line: raw === undefined ? undefined : Buffer.from(`${key}=${raw}\n`) };
  });
  // in byte order: a new key goes before the line at its place, whose key is greater
  edits.sort((a, b) => a.start - b.start || (a.order < b.order ? -1 : 1));
  const pieces: Uint8Array[] = [Buffer.from(flatHeader(now))];
  let cursor = scan.bodyStart;
  for (const { start, end, line } of edits) {
    pieces.push(bytes.subarray(cursor, start));
    if (line !== undefined) pieces.push(line);
    cursor = end;
  }
  pieces.push(bytes.subarray(cursor));
  return Buffer.concat(pieces);
}
