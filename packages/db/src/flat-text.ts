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

/** The file's text; E_DB_CORRUPT naming the first line that is not UTF-8. */
export function decodeFlatBytes(bytes: Buffer, source: string): string {
  if (!isUtf8(bytes)) {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      if (!isUtf8(bytes.subarray(start, end === -1 ? bytes.length : end)) || end === -1) throw flatCorrupt(source, line, 'invalid UTF-8');
      start = end + 1;
    }
  }
  return bytes.toString('utf8');
}

/** E_DB_CORRUPT for the first control character of the text, if any. */
export function checkFlatText(text: string, source: string): void {
  const found = CONTROL_CHARACTER.exec(text);
  if (found === null) return;
  const line = text.slice(0, found.index).split('\n').length;
  const code = found[0].charCodeAt(0);
  throw flatCorrupt(source, line, code === 0 ? 'a NUL byte' : `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
}

export function flatCorrupt(source: string, line: number, why: string): DbError {
  return new DbError('E_DB_CORRUPT', `${source}: line ${line}: ${why}: not SME's flat-file format`, { details: { source, line } });
}
