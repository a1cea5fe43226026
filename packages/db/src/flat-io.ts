import type { ApplyResult } from './backend.ts';
import type { ConfigDb } from './config-db.ts';
import { decodeRaw, encodeRaw, parseFlat, serializeFlat } from './flat-format.ts';

/** Replaces a database with the records of an SME flat file (named `source` in errors), in one batch. */
export async function importFlat(db: ConfigDb, text: string, source?: string): Promise<{ records: number; result: ApplyResult }> {
  const raw = parseFlat(text, source);
  const result = await db.replaceAll([...raw].map(([key, value]) => [key, decodeRaw(value)] as const));
  return { records: raw.size, result };
}

/** A database as an SME flat file: header, then records in byte order. */
export async function exportFlat(db: ConfigDb, now: Date): Promise<string> {
  const raw = new Map<string, string>();
  for (const record of await db.list()) raw.set(record.key, encodeRaw(record, { escapeNewlines: true, key: record.key }));
  return serializeFlat(raw, now);
}
