import { DbError } from '@smeconf/errors';
import type { ApplyOptions, ApplyResult, Backend, ChangeEntry, DbRecord, HistoryFilter, Op, RecordData } from '@smeconf/db';
import { filterHistory, planOps } from '@smeconf/db';
import type { EtcdClientOptions, KeyValue } from './etcd-client.ts';
import { EtcdAnswerError, EtcdClient } from './etcd-client.ts';
import { KeyLayout, decodeRecord, encodeRecord, fromBase64, rangeEnd, toBase64 } from './key-layout.ts';
import { replayChanges } from './replay.ts';

export interface EtcdOptions extends EtcdClientOptions {
  /** Every key of the store starts with `<prefix>/` (docs/fleet.md). */
  readonly prefix: string;
  /** How often a batch is re-read and re-planned after another writer changed what it read. */
  readonly maxConflictRetries?: number | undefined;
}

/** Above this many keys a batch reads (and compares) its whole database in one range. */
const WHOLE_DB_ABOVE = 64;

interface Header {
  readonly revision?: string;
}

interface RangeResponse {
  readonly header?: Header;
  readonly kvs?: readonly KeyValue[];
}

interface TxnResponse {
  readonly header?: Header;
  readonly succeeded?: boolean;
  readonly responses?: readonly { readonly response_range?: RangeResponse }[];
}

/** What a batch read: each key's record and mod revision (0: absent), at one revision. */
interface Snapshot {
  readonly records: Map<string, { record: RecordData | undefined; mod: number }>;
  /** The whole database was read (a clear, or many keys). */
  readonly whole: boolean;
  readonly revision: number;
  /** The store's last change (the log key's mod revision; 0 before the first). */
  readonly lastChange: number;
}

/**
 * Named databases in etcd (v3, through its JSON gateway). Every batch of ops
 * is one transaction that compares the mod revision of each key the batch
 * read (or its absence, or of the whole database after a clear): a writer
 * on another server that changed one of them makes it fail, and the batch is
 * re-read and re-planned, so no update is lost. The store revision is
 * etcd's. Reads are serializable (answered by the member, also without
 * quorum); so is a batch's first read, whose staleness the compares catch.
 */
export class EtcdBackend implements Backend {
  readonly name = 'etcd';
  readonly capabilities = { history: true };
  readonly #client: EtcdClient;
  readonly #layout: KeyLayout;
  readonly #maxRetries: number;

  constructor(options: EtcdOptions) {
    this.#client = new EtcdClient(options);
    this.#layout = new KeyLayout(options.prefix);
    this.#maxRetries = options.maxConflictRetries ?? 50;
  }

  async get(db: string, key: string): Promise<RecordData | undefined> {
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(this.#layout.recordKey(db, key)), serializable: true });
    const value = kvs?.[0]?.value;
    return value === undefined ? undefined : decodeRecord(fromBase64(value));
  }

  async list(db: string): Promise<DbRecord[]> {
    const prefix = this.#layout.dbPrefix(db);
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(prefix), range_end: rangeEnd(prefix), serializable: true });
    return (kvs ?? []).map((kv) => ({ key: fromBase64(kv.key).slice(prefix.length), ...decodeRecord(fromBase64(kv.value)) }));
  }

  async revision(): Promise<number> {
    const { header } = await this.#call<RangeResponse>('kv/range', { key: toBase64(this.#layout.logKey), serializable: true, count_only: true });
    return Number(header?.revision ?? 0);
  }

  async apply(db: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<ApplyResult> {
    for (let attempt = 0; attempt <= this.#maxRetries; attempt++) {
      // the first read is the member's own (no round of the cluster): the compares catch a stale one
      const linearizable = attempt > 0;
      const snapshot = await this.#read(db, ops, linearizable);
      const expected = options.expectRevision;
      if (expected !== undefined && snapshot.lastChange > expected) {
        throw new DbError('E_DB_CONFLICT', `the store changed since revision ${expected} (last change at ${snapshot.lastChange})`);
      }
      const plan = planOps(sourceOf(snapshot), ops);
      if (plan.writes.size === 0) {
        // "nothing to do" has no compare to catch a stale read: only a linearizable one may say so
        if (linearizable) return { revision: snapshot.revision, existed: plan.existed, changed: false };
        continue;
      }
      const success: object[] = [];
      for (const [key, { after }] of plan.writes) {
        const etcdKey = toBase64(this.#layout.recordKey(db, key));
        success.push(after === undefined ? { request_delete_range: { key: etcdKey } } : { request_put: { key: etcdKey, value: toBase64(encodeRecord(after)) } });
      }
      // last, so that its event closes the transaction's events in a watch (replay.ts)
      success.push({ request_put: { key: toBase64(this.#layout.logKey), value: toBase64(JSON.stringify({ time: Date.now(), db })) } });
      const compare = this.#compares(db, snapshot, expected);
      const result = await this.#call<TxnResponse>('kv/txn', { compare, success }, plan.writes.size);
      if (result.succeeded === true) return { revision: Number(result.header?.revision), existed: plan.existed, changed: true };
    }
    throw new DbError('E_DB_BUSY', `database ${db}: other writers kept changing the records this batch reads (${this.#maxRetries + 1} attempts)`);
  }

  async history(db: string, filter: HistoryFilter = {}): Promise<ChangeEntry[]> {
    const lastChange = await this.#lastChange();
    const entries = await this.#replay(1, lastChange, false);
    return filterHistory(entries.filter((entry) => entry.db === db), filter);
  }

  async changesSince(revision: number): Promise<ChangeEntry[]> {
    return this.#replay(revision + 1, await this.#lastChange(), true);
  }

  /**
   * Lets etcd forget the history before `revision` (etcd's compaction, for
   * the whole cluster): changes since an older revision are then
   * E_DB_HISTORY_COMPACTED. Operators usually let etcd's --auto-compaction do it.
   */
  async compact(revision: number): Promise<void> {
    await this.#call('kv/compaction', { revision: String(revision), physical: true });
  }

  /** The names of the databases that have a record in the store (one keys-only range of every record key). */
  async databases(): Promise<string[]> {
    const head = `${this.#layout.prefix}/db/`;
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(head), range_end: rangeEnd(head), serializable: true, keys_only: true });
    return [...new Set((kvs ?? []).map((kv) => this.#layout.parseRecordKey(fromBase64(kv.key))?.db).filter((db): db is string => db !== undefined))];
  }

  /** Puts a plain value at `<prefix>/<name>`, outside every database (the agent's `status/<host>`). */
  async putValue(name: string, value: string): Promise<void> {
    await this.#call('kv/put', { key: toBase64(`${this.#layout.prefix}/${name}`), value: toBase64(value) });
  }

  /** The plain value at `<prefix>/<name>` and its mod revision (the rollout's state), or undefined. */
  async getValue(name: string): Promise<{ value: string; mod: number } | undefined> {
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(`${this.#layout.prefix}/${name}`) });
    return kvs?.[0] === undefined ? undefined : { value: fromBase64(kvs[0].value), mod: Number(kvs[0].mod_revision) };
  }

  /** Puts a plain value unless its mod revision is no longer `expectMod` (0: absent): the new one, or undefined. */
  async putValueIf(name: string, value: string, expectMod: number): Promise<number | undefined> {
    const key = toBase64(`${this.#layout.prefix}/${name}`);
    const compare = [{ key, target: 'MOD', result: 'EQUAL', mod_revision: String(expectMod) }];
    const result = await this.#call<TxnResponse>('kv/txn', { compare, success: [{ request_put: { key, value: toBase64(value) } }] });
    return result.succeeded === true ? Number(result.header?.revision) : undefined;
  }

  /** Every plain value under `<prefix>/<dir>/` (the agents' `status/<host>`), by name within it. */
  async values(dir: string): Promise<{ name: string; value: string }[]> {
    const head = `${this.#layout.prefix}/${dir}/`;
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(head), range_end: rangeEnd(head) });
    return (kvs ?? []).map((kv) => ({ name: fromBase64(kv.key).slice(head.length), value: fromBase64(kv.value) }));
  }

  async close(): Promise<void> {
    this.#client.close();
  }

  async #replay(from: number, to: number, strict: boolean): Promise<ChangeEntry[]> {
    if (to < from) return [];
    return replayChanges(this.#client, this.#layout, from, to, strict);
  }

  async #lastChange(): Promise<number> {
    const { kvs } = await this.#call<RangeResponse>('kv/range', { key: toBase64(this.#layout.logKey), serializable: true, keys_only: true });
    return Number(kvs?.[0]?.mod_revision ?? 0);
  }

  /** One read (a read-only transaction) of what the batch needs: its keys (or its whole database) and the log key. */
  async #read(db: string, ops: readonly Op[], linearizable: boolean): Promise<Snapshot> {
    const keys = new Set<string>();
    let whole = false;
    for (const op of ops) {
      if (op.op === 'clear') whole = true;
      else keys.add(op.key);
    }
    whole ||= keys.size > WHOLE_DB_ABOVE;
    const prefix = this.#layout.dbPrefix(db);
    const serializable = !linearizable;
    const reads: object[] = whole
      ? [{ request_range: { key: toBase64(prefix), range_end: rangeEnd(prefix), serializable } }]
      : [...keys].map((key) => ({ request_range: { key: toBase64(this.#layout.recordKey(db, key)), serializable } }));
    reads.push({ request_range: { key: toBase64(this.#layout.logKey), keys_only: true, serializable } });
    const result = await this.#call<TxnResponse>('kv/txn', { success: reads });
    const responses = result.responses ?? [];
    const records = new Map<string, { record: RecordData | undefined; mod: number }>();
    if (!whole) for (const key of keys) records.set(key, { record: undefined, mod: 0 });
    for (const response of responses.slice(0, -1)) {
      for (const kv of response.response_range?.kvs ?? []) {
        records.set(fromBase64(kv.key).slice(prefix.length), { record: decodeRecord(fromBase64(kv.value)), mod: Number(kv.mod_revision) });
      }
    }
    const log = responses.at(-1)?.response_range?.kvs?.[0];
    return { records, whole, revision: Number(result.header?.revision ?? 0), lastChange: Number(log?.mod_revision ?? 0) };
  }

  /** The transaction's guard: nothing the batch read has changed since (and the expected revision still holds). */
  #compares(db: string, snapshot: Snapshot, expected: number | undefined): object[] {
    const compare: object[] = [];
    if (snapshot.whole) {
      const prefix = this.#layout.dbPrefix(db);
      compare.push({ key: toBase64(prefix), range_end: rangeEnd(prefix), target: 'MOD', result: 'LESS', mod_revision: String(snapshot.revision + 1) });
    } else {
      for (const [key, { mod }] of snapshot.records) {
        compare.push({ key: toBase64(this.#layout.recordKey(db, key)), target: 'MOD', result: 'EQUAL', mod_revision: String(mod) });
      }
    }
    if (expected !== undefined) compare.push({ key: toBase64(this.#layout.logKey), target: 'MOD', result: 'LESS', mod_revision: String(expected + 1) });
    return compare;
  }

  async #call<T>(path: string, body: object, writes?: number): Promise<T> {
    try {
      return await this.#client.call<T>(path, body);
    } catch (error) {
      if (!(error instanceof EtcdAnswerError)) throw error;
      const hint = /too many operations/.test(error.message) ? ` (a batch of ${writes} writes is one transaction: raise etcd's --max-txn-ops)` : '';
      const large = /too large/.test(error.message) ? ' (raise etcd\'s --max-request-bytes)' : '';
      throw new DbError('E_DB_IO', `etcd refused the request: ${error.message}${hint}${large}`, { cause: error });
    }
  }
}

function sourceOf(snapshot: Snapshot) {
  const present = () => [...snapshot.records].filter(([, { record }]) => record !== undefined) as [string, { record: RecordData }][];
  return {
    get: (key: string) => snapshot.records.get(key)?.record,
    keys: () => present().map(([key]) => key),
    entries: () => present().map(([key, { record }]) => [key, record] as const),
  };
}
