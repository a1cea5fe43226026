/**
 * What a render read: a record's type (prop null), one prop, or a whole
 * database (key null: a list of its keys or records). Kept per target so
 * that later work re-expands only what a change affects.
 */
export interface Read {
  readonly db: string;
  readonly key: string | null;
  readonly prop: string | null;
}

/** A stable one-line form of a read: `db<TAB>key<TAB>prop`, empty for null. */
export function readId(read: Read): string {
  return `${read.db}\t${read.key ?? ''}\t${read.prop ?? ''}`;
}

export function parseReadId(id: string): Read {
  const [db = '', key = '', prop = ''] = id.split('\t');
  return { db, key: key === '' ? null : key, prop: prop === '' ? null : prop };
}

/** Whether a change of (db, key, prop) affects a target that made this read. */
export function readCovers(read: Read, db: string, key: string, prop?: string): boolean {
  if (read.db !== db) return false;
  if (read.key === null) return true;
  if (read.key !== key) return false;
  return prop === undefined || read.prop === prop || read.prop === null;
}
