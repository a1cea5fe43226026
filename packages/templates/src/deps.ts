import { ConfigDb } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
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

/** Both ends of the record as an expansion uses them (RenderOptions.recordedReads, ExpandTargetsOptions.saveReads). */
export interface ReadsRecord {
  readonly recordedReads: (templatePath: string) => Promise<readonly Read[] | undefined>;
  readonly saveReads: (templatePath: string, reads: readonly Read[]) => Promise<void>;
}

/**
 * The reads record of one backend: what expand-template, events and the
 * watcher render and record with. Reads identical to the ones read back for
 * the same target are not written again (on a run where nothing changed, no
 * write transaction at all).
 */
export function readsRecord(backend: Backend): ReadsRecord {
  const db = new ConfigDb(backend, READS_DB);
  const loaded = new Map<string, Set<string>>();
  return {
    recordedReads: async (templatePath) => {
      // a record that cannot be read is no hint: the render takes its passes, and saving reports the error
      const record = await db.get(templatePath).catch(() => undefined);
      if (record === undefined) return undefined;
      if (record.type === 'reads') loaded.set(templatePath, new Set(record.props.keys()));
      return [...record.props.keys()].map(parseReadId);
    },
    saveReads: async (templatePath, reads) => {
      const before = loaded.get(templatePath);
      loaded.delete(templatePath);
      if (before !== undefined && before.size === reads.length && reads.every((read) => before.has(readId(read)))) return;
      await saveReads(db, templatePath, reads);
    },
  };
}

/** The template paths whose recorded reads a change of (db, key[, prop]) affects. */
export async function targetsReading(db: ConfigDb, changedDb: string, key: string, prop?: string): Promise<string[]> {
  return (await db.list())
    .filter((record) => [...record.props.keys()].some((id) => readCovers(parseReadId(id), changedDb, key, prop)))
    .map((record) => record.key);
}
