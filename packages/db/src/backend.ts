import type { ChangeEntry, HistoryFilter } from './changes.ts';
import type { Op } from './ops.ts';
import type { DbRecord, RecordData } from './record.ts';

export interface BackendCapabilities {
  /** The backend keeps a change log (`history`). */
  readonly history: boolean;
}

export interface ApplyOptions {
  /** Fail with E_DB_CONFLICT unless the store is still at this revision. */
  readonly expectRevision?: number;
}

export interface ApplyResult {
  /** The store's revision after the batch (unchanged if nothing changed). */
  readonly revision: number;
  /** For each op, whether its key existed when it was applied. */
  readonly existed: readonly boolean[];
  /** Whether anything was written. */
  readonly changed: boolean;
}

/**
 * Storage of named databases of records. Backends stay simple: SME's
 * semantics (key rules, verbs, defaults) live in ConfigDb. Every method is
 * async at the interface; a batch of ops is applied atomically.
 */
export interface Backend {
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  get(db: string, key: string): Promise<RecordData | undefined>;
  /** All records of a database in byte order of their keys. */
  list(db: string): Promise<DbRecord[]>;
  apply(db: string, ops: readonly Op[], options?: ApplyOptions): Promise<ApplyResult>;
  /**
   * Changes with every write. Monotonic where the store has a counter
   * (sqlite, memory); a content fingerprint for flat files.
   */
  revision(db: string): Promise<number>;
  /** The change log, oldest first; only where capabilities.history. */
  history?(db: string, filter?: HistoryFilter): Promise<ChangeEntry[]>;
  /** Every change of every database after a revision, oldest first (where capabilities.history). */
  changesSince?(revision: number): Promise<ChangeEntry[]>;
  /**
   * Reads every database of the store, so that a damaged one stops a run
   * before it writes anything (E_DB_CORRUPT naming the file and line).
   */
  check?(): Promise<void>;
  close(): Promise<void>;
}
