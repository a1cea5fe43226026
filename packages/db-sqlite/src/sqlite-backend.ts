import type Database from 'better-sqlite3';
import { DbError } from '@smeconf/errors';
import type {
  ApplyOptions,
  ApplyResult,
  Backend,
  ChangeEntry,
  DbRecord,
  HistoryFilter,
  Op,
  RecordData,
} from '@smeconf/db';
import { diffRecords, planOps, sortedProps } from '@smeconf/db';
import { translateSqliteError } from './native-errors.ts';
import { openStore } from './open-store.ts';
import { ROWS_PER_STATEMENT, RowBatch, insertSql } from './row-batches.ts';

export interface SqliteOptions {
  /** The one SQLite file that holds every named database. */
  readonly file: string;
  /** How long a writer waits for another one (SQLite busy timeout). */
  readonly busyTimeoutMs?: number;
  /** One line for each store file whose mode was narrowed to 0640 (store-files.ts). */
  readonly warn?: (line: string) => void;
  /** The better-sqlite3 addon's path, when the caller knows it (open-store.ts). */
  readonly nativeBinding?: string | undefined;
}

interface Row {
  type: string;
  props: string;
}

const LIST_SQL = 'SELECT key, type, props FROM records WHERE db = ? ORDER BY key';
// OR FAIL: a failing statement does not undo its own earlier rows, so that
// SQLite keeps no statement journal for a multi-row insert (~7% of an
// import's CPU); the transaction around it is still rolled back whole.
const UPSERT_HEAD = 'INSERT OR FAIL INTO records (db, key, type, props)';
const UPSERT_TAIL = ' ON CONFLICT (db, key) DO UPDATE SET type = excluded.type, props = excluded.props';
const UPSERT_ROW = '(@db, ?, ?, ?)';
const UPSERT_ONE = insertSql(UPSERT_HEAD, UPSERT_ROW, 1, UPSERT_TAIL);
const UPSERT_MANY = insertSql(UPSERT_HEAD, UPSERT_ROW, ROWS_PER_STATEMENT, UPSERT_TAIL);
const LOG_HEAD = 'INSERT OR FAIL INTO changes (revision, time, db, key, prop, old, new)';
const LOG_ROW = '(@revision, @time, @db, ?, ?, ?, ?)';
const LOG_ONE = insertSql(LOG_HEAD, LOG_ROW, 1);
const LOG_MANY = insertSql(LOG_HEAD, LOG_ROW, ROWS_PER_STATEMENT);

type ApplyTransaction = Database.Transaction<(db: string, ops: readonly Op[], options: ApplyOptions) => ApplyResult>;

/**
 * The default backend: all named databases in one SQLite file in WAL mode.
 * Each apply is one synchronous IMMEDIATE transaction that also bumps the
 * store's revision and appends to the change log. The store is private
 * (0640, store-files.ts); reads never write, and still work on a full disk
 * or a read-only file system (open-store.ts).
 */
export class SqliteBackend implements Backend {
  readonly name = 'sqlite';
  readonly capabilities = { history: true };
  readonly #options: SqliteOptions;
  #db: Database.Database | undefined;
  #snapshot = false;
  readonly #statements = new Map<string, Database.Statement>();
  /** #applySync in an IMMEDIATE transaction, made once per connection (better-sqlite3's wrapper is costly). */
  #applyTransaction: ApplyTransaction | undefined;

  constructor(options: SqliteOptions) {
    this.#options = options;
  }

  async get(db: string, key: string): Promise<RecordData | undefined> {
    return this.#guard(() => this.#getSync(db, key), false);
  }

  async list(db: string): Promise<DbRecord[]> {
    return this.#guard(() => {
      const rows = this.#all<Row & { key: string }>(LIST_SQL, db);
      return rows.map((row) => ({ key: row.key, ...toRecord(row) }));
    }, false) ?? [];
  }

  async apply(db: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<ApplyResult> {
    return this.#guard(() => {
      this.#applyTransaction ??= this.#db!.transaction((name: string, batch: readonly Op[], given: ApplyOptions) => this.#applySync(name, batch, given));
      return this.#applyTransaction.immediate(db, ops, options);
    }, true)!;
  }

  async revision(): Promise<number> {
    return this.#guard(() => this.#revisionSync(), false) ?? 0;
  }

  async history(db: string, filter: HistoryFilter = {}): Promise<ChangeEntry[]> {
    return this.#guard(() => {
      let where = 'db = ?';
      const params: unknown[] = [db];
      if (filter.key !== undefined) {
        where += ' AND key = ?';
        params.push(filter.key);
      }
      if (filter.prop !== undefined) {
        where += ' AND prop = ?';
        params.push(filter.prop);
      }
      const limit = filter.limit === undefined ? '' : ` LIMIT ${Math.trunc(filter.limit)}`;
      const sql = `SELECT revision, time, db, key, prop, old, new FROM changes WHERE ${where} ORDER BY revision DESC, rowid DESC${limit}`;
      return this.#all<ChangeEntry>(sql, ...params).reverse();
    }, false) ?? [];
  }

  async changesSince(revision: number): Promise<ChangeEntry[]> {
    return this.#guard(() => this.#all<ChangeEntry>('SELECT revision, time, db, key, prop, old, new FROM changes WHERE revision > ? ORDER BY revision, rowid', revision), false) ?? [];
  }

  async close(): Promise<void> {
    this.#closeDb();
  }

  #applySync(db: string, ops: readonly Op[], options: ApplyOptions): ApplyResult {
    const revision = this.#revisionSync();
    if (options.expectRevision !== undefined && options.expectRevision !== revision) {
      throw new DbError('E_DB_CONFLICT', `the store changed since revision ${options.expectRevision} (now ${revision})`);
    }
    const plan = planOps(
      {
        get: (key) => this.#getSync(db, key),
        keys: () => this.#all<{ key: string }>('SELECT key FROM records WHERE db = ? ORDER BY key', db).map((row) => row.key),
        entries: () => this.#all<Row & { key: string }>(LIST_SQL, db).map((row) => [row.key, toRecord(row)] as const),
      },
      ops,
    );
    if (plan.writes.size === 0) return { revision, existed: plan.existed, changed: false };
    const next = revision + 1;
    const time = Date.now();
    const upserts = this.#rowBatch(UPSERT_ONE, UPSERT_MANY, 3, { db });
    const remove = this.#statement('DELETE FROM records WHERE db = ? AND key = ?');
    const log = this.#rowBatch(LOG_ONE, LOG_MANY, 4, { revision: next, time, db });
    for (const [key, { before, after }] of plan.writes) {
      if (after === undefined) remove.run(db, key);
      else upserts.add(key, after.type, JSON.stringify(sortedProps(after)));
      for (const diff of diffRecords(before, after)) log.add(key, diff.prop, diff.old, diff.new);
    }
    upserts.flush();
    log.flush();
    this.#statement("UPDATE meta SET value = ? WHERE name = 'revision'").run(next);
    return { revision: next, existed: plan.existed, changed: true };
  }

  #getSync(db: string, key: string): RecordData | undefined {
    const row = this.#statement('SELECT type, props FROM records WHERE db = ? AND key = ?').get(db, key) as Row | undefined;
    return row && toRecord(row);
  }

  #revisionSync(): number {
    const row = this.#statement("SELECT value FROM meta WHERE name = 'revision'").get() as { value: number };
    return row.value;
  }

  #all<T>(sql: string, ...params: unknown[]): T[] {
    return this.#statement(sql).all(...params) as T[];
  }

  #rowBatch(one: string, many: string, width: number, shared: Record<string, unknown>): RowBatch {
    return new RowBatch(this.#statement(one), () => this.#statement(many), width, shared);
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db!.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs fn on an open store; a store that does not exist yet reads as empty. */
  #guard<T>(fn: () => T, forWrite: boolean): T | undefined {
    try {
      if (this.#open(forWrite) === undefined) return undefined;
      return fn();
    } catch (error) {
      throw translateSqliteError(error, this.#options.file);
    }
  }

  #open(forWrite: boolean): Database.Database | undefined {
    // a snapshot (read-only, in memory) gives way to the store itself for a write
    if (this.#db !== undefined && !(forWrite && this.#snapshot)) return this.#db;
    this.#closeDb();
    const opened = openStore(this.#options, forWrite);
    this.#db = opened?.db;
    this.#snapshot = opened?.snapshot ?? false;
    return this.#db;
  }

  #closeDb(): void {
    this.#db?.close();
    this.#db = undefined;
    this.#statements.clear();
    this.#applyTransaction = undefined;
  }
}

function toRecord(row: Row): RecordData {
  return { type: row.type, props: new Map(JSON.parse(row.props) as [string, string][]) };
}
