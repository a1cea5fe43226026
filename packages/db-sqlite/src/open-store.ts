import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import { SCHEMA, SCHEMA_VERSION } from './schema.ts';
import { isStorageError, translateSqliteError } from './native-errors.ts';
import { createStoreFile, narrowModes } from './store-files.ts';

export interface StoreOptions {
  readonly file: string;
  readonly busyTimeoutMs?: number;
  readonly warn?: (line: string) => void;
  /** The better-sqlite3 addon's path, when the caller knows it: resolving it costs a `db` command ~0.8 ms. */
  readonly nativeBinding?: string | undefined;
}

export interface OpenStore {
  readonly db: Database.Database;
  /** A read-only copy of the main file in memory (see openSnapshot). */
  readonly snapshot: boolean;
}

/**
 * Opens the store. A reader never writes: a store that does not exist yet,
 * or is still empty, reads as empty (undefined). A writer creates it 0640
 * and its schema. When a reader cannot open it because the -shm/-wal
 * cannot be created or grown (a full disk, a read-only file system), it
 * reads a snapshot of the main file instead.
 */
export function openStore(options: StoreOptions, forWrite: boolean): OpenStore | undefined {
  const { file } = options;
  if (!existsSync(file)) {
    if (!forWrite) return undefined;
    createStoreFile(file);
  }
  narrowModes(file, options.warn ?? (() => {}));
  const binding = nativeBinding(options.nativeBinding);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000, ...binding });
    const version = db.pragma('user_version', { simple: true });
    if (version === 0 && !forWrite) {
      db.close();
      return undefined;
    }
    if (version !== SCHEMA_VERSION && forWrite) initialise(db);
    db.pragma('synchronous = NORMAL');
    return { db, snapshot: false };
  } catch (error) {
    db?.close();
    if (forWrite || !isStorageError(error)) throw translateSqliteError(error, file);
    return openSnapshot(file, error, binding);
  }
}

/**
 * The main file read into memory, read-only. Only when the -wal is absent
 * or empty, so that the main file holds every committed transaction; a
 * writer cannot add one meanwhile (it could not grow the -wal either), and
 * we check the -wal again after reading.
 */
function openSnapshot(file: string, cause: unknown, binding: { nativeBinding?: string }): OpenStore | undefined {
  if (walSize(file) > 0) throw translateSqliteError(cause, file);
  const bytes = readFileSync(file);
  if (walSize(file) > 0) throw translateSqliteError(cause, file);
  if (bytes.length === 0) return undefined;
  // WAL mode (header bytes 18-19 = 2) cannot be opened in memory: read it as rollback mode.
  if (bytes.length > 19 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
  try {
    const db = new Database(bytes, { readonly: true, ...binding });
    if (db.pragma('user_version', { simple: true }) !== 0) return { db, snapshot: true };
    db.close();
    return undefined;
  } catch (error) {
    throw translateSqliteError(error, file);
  }
}

function walSize(file: string): number {
  return statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}

function initialise(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.transaction(() => db.exec(SCHEMA)).immediate();
}

/**
 * Where the addon is, so that better-sqlite3 need not search for it with
 * the `bindings` package (a measurable part of a `db` command's start).
 */
function nativeBinding(known: string | undefined): { nativeBinding?: string } {
  if (known !== undefined) return { nativeBinding: known };
  try {
    return { nativeBinding: createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node') };
  } catch {
    return {};
  }
}
