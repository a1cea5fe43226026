import type { Backend, ChangeEntry, RecordData } from '@smeconf/db';
import { diffRecords, isDbName } from '@smeconf/db';

/**
 * What changed in the databases since the last call. A backend with a
 * change log answers from it (one query from the last revision); for flat
 * files, the databases named by changed files are re-read and compared.
 */
export class DbChanges {
  readonly #backend: Backend;
  #revision = 0;
  readonly #snapshots = new Map<string, Map<string, RecordData>>();

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  async start(dbs: Iterable<string>): Promise<void> {
    this.#revision = await this.#backend.revision('configuration');
    if (this.#backend.changesSince === undefined) for (const db of dbs) this.#snapshots.set(db, await this.#load(db));
  }

  /** `files`: the names of changed files in the database directory. */
  async since(files: Iterable<string>): Promise<ChangeEntry[]> {
    if (this.#backend.changesSince !== undefined) {
      const changes = await this.#backend.changesSince(this.#revision);
      for (const change of changes) this.#revision = Math.max(this.#revision, change.revision);
      return changes;
    }
    const changes: ChangeEntry[] = [];
    for (const db of new Set(files)) {
      // only database names: not SME's lock and temp files (`NAME.<pid>`), ours, the store, a backup
      if (!isDbName(db) || /\.\d+$/.test(db)) continue;
      const before = this.#snapshots.get(db) ?? new Map<string, RecordData>();
      const after = await this.#load(db);
      for (const key of new Set([...before.keys(), ...after.keys()])) {
        for (const diff of diffRecords(before.get(key), after.get(key))) changes.push({ revision: 0, time: Date.now(), db, key, ...diff });
      }
      this.#snapshots.set(db, after);
    }
    return changes;
  }

  async #load(db: string): Promise<Map<string, RecordData>> {
    return new Map((await this.#backend.list(db)).map((record) => [record.key, record]));
  }
}
