import type { RecordData } from '@smeconf/db';
import { sortedProps } from '@smeconf/db';

/**
 * Where a store lives under its prefix (docs/fleet.md):
 * - `<prefix>/db/<db>/<key>`: one record, `{"type":…,"props":[[name,value],…]}`
 *   (props in byte order of their names; JSON keeps every string exactly);
 * - `<prefix>/log`: `{"time":…,"db":…}`, written last by every transaction
 *   that changes something: its mod revision is the store's last change, and
 *   its history dates every change (etcd keeps no time of its own).
 * Keys and values go over the gateway in base64 of their UTF-8 bytes, so
 * etcd's byte order of keys is the order `list` promises.
 */
export class KeyLayout {
  readonly prefix: string;
  readonly logKey: string;

  constructor(prefix: string) {
    this.prefix = prefix.replace(/\/+$/, '');
    this.logKey = `${this.prefix}/log`;
  }

  recordKey(db: string, key: string): string {
    return `${this.dbPrefix(db)}${key}`;
  }

  dbPrefix(db: string): string {
    return `${this.prefix}/db/${db}/`;
  }

  /** Everything of the store: records and the log key. */
  storePrefix(): string {
    return `${this.prefix}/`;
  }

  /** The database and key of a record's etcd key; undefined for any other key under the prefix. */
  parseRecordKey(etcdKey: string): { db: string; key: string } | undefined {
    const head = `${this.prefix}/db/`;
    if (!etcdKey.startsWith(head)) return undefined;
    const slash = etcdKey.indexOf('/', head.length);
    if (slash === -1) return undefined;
    return { db: etcdKey.slice(head.length, slash), key: etcdKey.slice(slash + 1) };
  }
}

export function encodeRecord(record: RecordData): string {
  return JSON.stringify({ type: record.type, props: sortedProps(record) });
}

export function decodeRecord(json: string): RecordData {
  const parsed = JSON.parse(json) as { type: string; props: [string, string][] };
  return { type: parsed.type, props: new Map(parsed.props) };
}

export const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
export const fromBase64 = (base64: string | undefined): string => Buffer.from(base64 ?? '', 'base64').toString('utf8');

/** The end of etcd's range of every key starting with `prefix`: its last byte plus one, base64. */
export function rangeEnd(prefix: string): string {
  const bytes = Buffer.from(prefix, 'utf8');
  bytes[bytes.length - 1]! += 1;
  return bytes.toString('base64');
}
