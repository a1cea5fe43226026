import { DbError } from '@smeconf/errors';
import { compareBytes } from './byte-order.ts';
import { COMMENT_OR_BLANK, CONTROL_CHARACTER, checkFlatText, flatCorrupt, mayBeCommentOrBlank } from './flat-text.ts';
import type { RecordData } from './record.ts';
import { sortedProps } from './record.ts';

/**
 * The SME flat-file format (docs/compatibility.md): `key=type|prop|value…`,
 * one record a line, newline stored as the two characters `\n`. We also
 * write `\|` for a pipe inside a field and read it back (docs/compatibility.md).
 */

/**
 * Parses a flat file into key → raw value, as SME reads it (§A.2). Text
 * that is not SME's (a control character, a record line without `=`) is
 * E_DB_CORRUPT naming `source` and the line (flat-text.ts).
 */
export function parseFlat(text: string, source = 'flat file'): Map<string, string> {
  checkFlatText(text, source);
  const raw = new Map<string, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (mayBeCommentOrBlank(line.charCodeAt(0)) && COMMENT_OR_BLANK.test(line)) continue;
    const eq = line.indexOf('=');
    if (eq === -1) throw flatCorrupt(source, i + 1, 'no "=" after the key');
    raw.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return raw;
}

/** Decodes a raw value into a record (§A.3, with `\|` read as a pipe). */
export function decodeRaw(raw: string): RecordData {
  // without a backslash there is nothing to unescape (most records): split on every pipe
  const fields = raw.includes('\\') ? raw.replaceAll('\\n', '\n').split(/(?<!\\)\|/).map(unescapePipes) : raw.split('|');
  const props = new Map<string, string>();
  for (let i = 1; i < fields.length; i += 2) props.set(fields[i]!, fields[i + 1] ?? '');
  return { type: fields[0]!, props };
}

function unescapePipes(field: string): string {
  return field.replaceAll('\\|', '|');
}

export interface EncodeOptions {
  /** Write newlines as `\n` (the file form) rather than as themselves (print). */
  readonly escapeNewlines: boolean;
  /** Names the record in the error when a field cannot be represented. */
  readonly key: string;
}

/**
 * Encodes a record as its raw value, props in byte order. With
 * escapeNewlines (the file form) a field the format cannot hold is refused.
 */
export function encodeRaw(record: RecordData, options: EncodeOptions): string {
  if (options.escapeNewlines && CONTROL_CHARACTER.test(options.key)) {
    throw unrepresentable(options.key, `the flat-file format cannot hold the key ${JSON.stringify(options.key)} (a control character)`);
  }
  const fields = [record.type];
  for (const [name, value] of sortedProps(record)) fields.push(name, value);
  return fields
    .map((field, i) => encodeField(field, i < fields.length - 1, options))
    .join('|');
}

function encodeField(field: string, followed: boolean, options: EncodeOptions): string {
  if (options.escapeNewlines) assertRepresentable(field, followed, options.key);
  const escaped = field.replaceAll('|', '\\|');
  return options.escapeNewlines ? escaped.replaceAll('\n', '\\n') : escaped;
}

function assertRepresentable(field: string, followed: boolean, key: string): void {
  if (/\\[n|]/.test(field) || (followed && field.endsWith('\\'))) {
    throw unrepresentable(key, `record ${key}: the flat-file format cannot hold ${JSON.stringify(field)} (a backslash before "n", "|" or a field end)`, field);
  }
  if (CONTROL_CHARACTER.test(field)) {
    throw unrepresentable(key, `record ${key}: the flat-file format cannot hold ${JSON.stringify(field)} (a control character)`, field);
  }
}

function unrepresentable(key: string, message: string, field?: string): DbError {
  return new DbError('E_DB_VALUE_UNREPRESENTABLE', message, { details: { key, ...(field !== undefined && { field }) } });
}

/** SME's six-line header; `updated:` is the local time in C ctime form. */
export function flatHeader(now: Date): string {
  return (
    '# DO NOT MODIFY THIS FILE.\n' +
    '# This file is automatically maintained by the Mitel Networks SME Server\n' +
    '# configuration software.  Manually editing this file may put your \n' +
    '# system in an unknown state.\n' +
    '#\n' +
    `# updated: ${ctime(now)}\n`
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function ctime(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const day = String(d.getDate()).padStart(2, ' ');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${day} ${time} ${d.getFullYear()}`;
}

/** A whole flat file: the header, then `key=raw` lines in byte order of key. */
export function serializeFlat(raw: ReadonlyMap<string, string>, now: Date): string {
  const keys = [...raw.keys()].sort(compareBytes);
  return flatHeader(now) + keys.map((key) => `${key}=${raw.get(key)}\n`).join('');
}
