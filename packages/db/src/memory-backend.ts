import { DbError } from '@smeconf/errors';
import type { ApplyOptions, ApplyResult, Backend } from './backend.ts';
import type { ChangeEntry, HistoryFilter } from './changes.ts';
import { diffRecords } from './changes.ts';
import { compareBytes } from './byte-order.ts';
import type { Op } from './ops.ts';
import { planOps } from './ops.ts';
import type { DbRecord, RecordData } from './record.ts';
import { filterHistory } from './history-filter.ts';

/** An in-process backend with a change log: for tests and dry runs. */
export class MemoryBackend implements Backend {
  readonly name = 'memory';
  readonly capabilities = { history: true };
  readonly #dbs = new Map<string, Map<string, RecordData>>();
  readonly #log: ChangeEntry[] = [];
  #revision = 0;

  async get(db: string, key: string): Promise<RecordData | undefined> {
    return this.#dbs.get(db)?.get(key);
  }

  async list(db: string): Promise<DbRecord[]> {
    const records = [...(this.#dbs.get(db) ?? [])].sort((a, b) => compareBytes(a[0], b[0]));
    return records.map(([key, record]) => ({ key, ...record }));
  }

  async apply(db: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<ApplyResult> {
    if (options.expectRevision !== undefined && options.expectRevision !== this.#revision) {
      throw new DbError('E_DB_CONFLICT', `database ${db} changed since revision ${options.expectRevision}`);
    }
    const records = this.#dbs.get(db) ?? new Map<string, RecordData>();
    const plan = planOps({ get: (key) => records.get(key), keys: () => records.keys() }, ops);
    if (plan.writes.size === 0) return { revision: this.#revision, existed: plan.existed, changed: false };
    const revision = ++this.#revision;
    const time = Date.now();
    for (const [key, { before, after }] of plan.writes) {
      if (after === undefined) records.delete(key);
      else records.set(key, after);
      for (const diff of diffRecords(before, after)) this.#log.push({ revision, time, db, key, ...diff });
    }
    this.#dbs.set(db, records);
    return { revision, existed: plan.existed, changed: true };
  }

  async revision(): Promise<number> {
    return this.#revision;
  }

  async history(db: string, filter: HistoryFilter = {}): Promise<ChangeEntry[]> {
    return filterHistory(this.#log.filter((entry) => entry.db === db), filter);
  }

  async changesSince(revision: number): Promise<ChangeEntry[]> {
    return this.#log.filter((entry) => entry.revision > revision);
  }

  async close(): Promise<void> {}
}
