import { isUtf8 } from 'node:buffer';
import { DbError } from '@smeconf/errors';

/**
 * What makes a file SME flat-file text (docs/compatibility.md): UTF-8
 * lines with no control character but tab and CR (SME keeps a CR in the
 * value). Anything else (NUL bytes, random bytes, a binary file) is a
 * damaged or foreign file, refused rather than read as an empty database.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A line SME skips: blank, or a comment (`#` after optional white space). */
export const COMMENT_OR_BLANK = /^\s*(#|$)/;

/**
 * Whether a line starting with this character code (NaN for an empty
 * line) may be COMMENT_OR_BLANK: only `#`, white space or a non-ASCII
 * character (a Unicode space) can start one. Most lines are records, and
 * this spares them the regular expression.
 */
export function mayBeCommentOrBlank(first: number): boolean {
  return !(first > 0x20 && first !== 0x23 && first < 0x80);
}

/** The file's text; E_DB_CORRUPT naming the first line that is not UTF-8. */
export function decodeFlatBytes(bytes: Buffer, source: string): string {
  checkUtf8(bytes, source);
  return bytes.toString('utf8');
}

/**
 * checkFlatText on bytes, without decoding them: E_DB_CORRUPT for the first
 * line that is not UTF-8, else for the first control character.
 */
export function checkFlatBytes(bytes: Buffer, source: string): void {
  checkUtf8(bytes, source);
  const at = findControlByte(bytes);
  if (at !== -1) throw controlCorrupt(source, lineAt(bytes, at), bytes[at]!);
}

/** E_DB_CORRUPT for the first control character of the text, if any. */
export function checkFlatText(text: string, source: string): void {
  const found = CONTROL_CHARACTER.exec(text);
  if (found === null) return;
  throw controlCorrupt(source, text.slice(0, found.index).split('\n').length, found[0].charCodeAt(0));
}

export function flatCorrupt(source: string, line: number, why: string): DbError {
  return new DbError('E_DB_CORRUPT', `${source}: line ${line}: ${why}: not SME's flat-file format`, { details: { source, line } });
}

function checkUtf8(bytes: Buffer, source: string): void {
  if (isUtf8(bytes)) return;
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    if (!isUtf8(bytes.subarray(start, end === -1 ? bytes.length : end)) || end === -1) throw flatCorrupt(source, line, 'invalid UTF-8');
    start = end + 1;
  }
}

function controlCorrupt(source: string, line: number, code: number): DbError {
  return flatCorrupt(source, line, code === 0 ? 'a NUL byte' : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** The line number of a byte offset (counted only on failure). */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < offset; at = bytes.indexOf(0x0a, at + 1)) line++;
  return line;
}

/**
 * The offset of the first control byte (CONTROL_CHARACTER: in UTF-8 these
 * bytes are the characters themselves), or -1. It looks at four bytes at a
 * time, and at single bytes only in words holding one below 0x20 or 0x7f
 * (in practice those with a newline): CONTROL_CHARACTER over the text as
 * Latin-1 made a flat-file setprop 4 ms (20,000 records) to 14 ms
 * (200,000) slower.
 */
function findControlByte(bytes: Uint8Array): number {
  const length = bytes.length;
  let at = 0;
  const head = Math.min(length, (4 - (bytes.byteOffset & 3)) & 3);
  for (; at < head; at++) if (isControlByte(bytes[at]!)) return at;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + at, (length - at) >>> 2);
  for (let i = 0; i < words.length; i++) {
    const x = words[i]!;
    const y = x ^ 0x7f7f7f7f;
    // a byte below 0x20, or a byte equal to 0x7f (Bit Twiddling Hacks: hasless, haszero)
    if ((((x - 0x20202020) & ~x) | ((y - 0x01010101) & ~y)) & 0x80808080) {
      const base = at + i * 4;
      for (let j = base; j < base + 4; j++) if (isControlByte(bytes[j]!)) return j;
    }
  }
  for (let j = at + words.length * 4; j < length; j++) if (isControlByte(bytes[j]!)) return j;
  return -1;
}

function isControlByte(byte: number): boolean {
  return byte < 0x20 ? byte !== 0x09 && byte !== 0x0a && byte !== 0x0d : byte === 0x7f;
}
