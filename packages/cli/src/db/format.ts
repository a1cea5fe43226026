import type { ChangeEntry, RecordData } from '@smeconf/db';
import { encodeRaw, sortedProps } from '@smeconf/db';

/** `key=type|p|v`: the flat form, `\|` for a pipe, newlines as themselves. */
export function printLine(key: string, record: RecordData): string {
  return `${key}=${rawForm(key, record)}\n`;
}

export function rawForm(key: string, record: RecordData): string {
  return encodeRaw(record, { escapeNewlines: false, key });
}

/** `key=type` then `    prop=value` per prop in byte order. */
export function showBlock(key: string, record: RecordData): string {
  return `${key}=${record.type}\n` + sortedProps(record).map(([name, value]) => `    ${name}=${value}\n`).join('');
}

/** REVISION TIME DB KEY PROP OLD NEW, tab-separated; values JSON-quoted, `-` when absent. */
export function historyLine(entry: ChangeEntry): string {
  const value = (v: string | null): string => (v === null ? '-' : JSON.stringify(v));
  return (
    [entry.revision, new Date(entry.time).toISOString(), entry.db, entry.key, entry.prop ?? '(type)', value(entry.old), value(entry.new)].join('\t') + '\n'
  );
}
