import type { RecordData } from '@smeconf/db';
import type { Layout } from './layout.ts';
import { openDatabase } from './open-db.ts';

/** Loads a whole database as key → record, for template rendering. */
export function dbLoader(layout: Layout, warn: (line: string) => void): (name: string) => Promise<ReadonlyMap<string, RecordData>> {
  return async (name) => {
    const db = await openDatabase(layout, name, warn);
    try {
      return new Map((await db.list()).map((record) => [record.key, record]));
    } finally {
      await db.backend.close();
    }
  };
}
