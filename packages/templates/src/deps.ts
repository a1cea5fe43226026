import type { ConfigDb } from '@smeconf/db';
import type { Read } from './reads.ts';
import { parseReadId, readCovers, readId } from './reads.ts';

/**
 * Where the reads of every expanded target are kept: a database of its own
 * (`template-reads`), one record per template path, one prop per read
 * (`db<TAB>key<TAB>prop`), so that any backend can hold it.
 */
export const READS_DB = 'template-reads';

export async function saveReads(db: ConfigDb, templatePath: string, reads: readonly Read[]): Promise<void> {
  await db.set(templatePath, 'reads', new Map(reads.map((read) => [readId(read), ''])));
}

export async function loadReads(db: ConfigDb, templatePath: string): Promise<Read[] | undefined> {
  const record = await db.get(templatePath);
  return record && [...record.props.keys()].map(parseReadId);
}

/** The template paths whose recorded reads a change of (db, key[, prop]) affects. */
export async function targetsReading(db: ConfigDb, changedDb: string, key: string, prop?: string): Promise<string[]> {
  return (await db.list())
    .filter((record) => [...record.props.keys()].some((id) => readCovers(parseReadId(id), changedDb, key, prop)))
    .map((record) => record.key);
}
