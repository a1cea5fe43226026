import type { RecordData } from '@smeconf/db';
import { compareBytes } from '@smeconf/db';
import type { Read } from './reads.ts';
import { readId } from './reads.ts';
import { guard } from './unsafe-value.ts';
import type { UnsafeValue } from './unsafe-value.ts';

/** Loaded databases: name → key → record. */
export type Snapshot = ReadonlyMap<string, ReadonlyMap<string, RecordData>>;

/**
 * A record as fragments see it: `key`, `type` and one property per prop
 * (`toString()` is the type). Every value, the key included, is guarded
 * (unsafe-value.ts): a string, or an UnsafeValue that refuses to print.
 */
export type RecordView = Record<string, unknown>;

/**
 * What a read of a database not in the snapshot throws when the access
 * stops at the first miss: the render is abandoned there (nothing after it
 * is worth rendering) and repeated once the database is loaded. Not an
 * Error, so that no stack trace is built; fragment error handling passes
 * it on (render.ts).
 */
export const NOT_LOADED: Readonly<{ reason: string }> = Object.freeze({ reason: 'a database not loaded yet' });

export interface DataAccessOptions {
  /** Throw NOT_LOADED at the first database not in the snapshot (after noting it in `missing`). */
  readonly stopAtMissing?: boolean;
}

/**
 * Synchronous, read-tracking access to a snapshot of the databases, for
 * helpers (Handlebars helpers are synchronous). A database that is not in
 * the snapshot is noted in `missing`, so that the caller can load it and
 * render again; it reads as empty, or stops the render (stopAtMissing).
 */
export class DataAccess {
  readonly #snapshot: Snapshot;
  readonly #stopAtMissing: boolean;
  readonly reads = new Map<string, Read>();
  /** db → key → props already in `reads`: a repeated read (most are) builds no id string. */
  readonly #noted = new Map<string, Map<string | null, Set<string | null>>>();
  readonly missing = new Set<string>();
  /** One frozen view per record and access (records() runs once per VirtualHost); a prop read still goes through value(). */
  readonly #views = new Map<RecordData, RecordView>();
  /**
   * records() per database (by its loaded map) and type: the stock
   * 10ServerName.mjs asks for every host once per VirtualHost. Each call
   * gets its own copy of the list, so that a fragment cannot alter another's.
   */
  readonly #lists = new Map<ReadonlyMap<string, RecordData>, Map<string | undefined, readonly RecordView[]>>();

  constructor(snapshot: Snapshot, options: DataAccessOptions = {}) {
    this.#snapshot = snapshot;
    this.#stopAtMissing = options.stopAtMissing === true;
  }

  /** The type (prop omitted) or a prop of a record; undefined when absent. */
  value(db: string, key: string, prop?: string): string | UnsafeValue | undefined {
    this.#note(db, key, prop ?? null);
    const record = this.#db(db)?.get(key);
    const value = prop === undefined ? record?.type : record?.props.get(prop);
    return value === undefined ? undefined : guard(value, { db, key, prop: prop ?? null });
  }

  /** A record's view, or undefined when absent (reading its existence = reading its type). */
  record(db: string, key: string): RecordView | undefined {
    this.#note(db, key, null);
    const record = this.#db(db)?.get(key);
    return record && this.#view(db, key, record);
  }

  /** The keys of a database in byte order, each guarded as a name where the database declares a key format. */
  keys(db: string): (string | UnsafeValue)[] {
    this.#note(db, null, null);
    return [...(this.#db(db)?.keys() ?? [])].sort(compareBytes).map((key) => guard(key, { db, key, prop: null, isKey: true }));
  }

  /** Views of every record of a database (of one type if given), in key order. */
  records(db: string, type?: string): RecordView[] {
    this.#note(db, null, null);
    const records = this.#db(db);
    if (records === undefined) return [];
    let byType = this.#lists.get(records);
    if (byType === undefined) this.#lists.set(records, (byType = new Map<string | undefined, readonly RecordView[]>()));
    let list = byType.get(type);
    if (list === undefined) {
      list = [...records.keys()]
        .sort(compareBytes)
        .filter((key) => type === undefined || records.get(key)!.type === type)
        .map((key) => this.#view(db, key, records.get(key)!));
      byType.set(type, list);
    }
    return [...list];
  }

  /** The root data of a render: every configuration record by key. */
  configurationRoot(): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    const configuration = this.#db('configuration') ?? new Map<string, RecordData>();
    for (const key of configuration.keys()) {
      Object.defineProperty(root, key, { enumerable: true, configurable: true, get: () => this.record('configuration', key) });
    }
    return root;
  }

  #view(db: string, key: string, record: RecordData): RecordView {
    const known = this.#views.get(record);
    if (known !== undefined) return known;
    // `key` is the record's key unless it has a prop of that name (SME's
    // modSSL does); `type` is always the record's type, as in SME's %record.
    const view: RecordView = {};
    Object.defineProperty(view, 'key', { enumerable: true, configurable: true, value: guard(key, { db, key, prop: null, isKey: true }) });
    for (const prop of record.props.keys()) {
      Object.defineProperty(view, prop, { enumerable: true, configurable: true, get: () => this.value(db, key, prop) });
    }
    Object.defineProperty(view, 'type', { enumerable: true, configurable: true, get: () => this.value(db, key) });
    Object.defineProperty(view, 'toString', { enumerable: false, value: () => String(this.value(db, key)) });
    this.#views.set(record, Object.freeze(view));
    return view;
  }

  #db(db: string): ReadonlyMap<string, RecordData> | undefined {
    const records = this.#snapshot.get(db);
    if (records === undefined) {
      this.missing.add(db);
      if (this.#stopAtMissing) throw NOT_LOADED; // eslint-disable-line @typescript-eslint/only-throw-error -- a marker, not an error (above)
    }
    return records;
  }

  #note(db: string, key: string | null, prop: string | null): void {
    let keys = this.#noted.get(db);
    if (keys === undefined) this.#noted.set(db, (keys = new Map<string | null, Set<string | null>>()));
    let props = keys.get(key);
    if (props === undefined) keys.set(key, (props = new Set<string | null>()));
    if (props.has(prop)) return;
    props.add(prop);
    const read = { db, key, prop };
    this.reads.set(readId(read), read);
  }
}
