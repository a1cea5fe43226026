import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DbError } from '@smeconf/errors';
import { acquireLock, regularFileStats, writeFileAtomic } from '@smeconf/files';
import type { HeldLock } from '@smeconf/files';
import type { ApplyOptions, ApplyResult, Backend, DbRecord, Op, RecordData } from '@smeconf/db';
import { checkDbName, checkDbPath, isDbName, compareBytes, decodeFlatBytes, describeSystemError, decodeRaw, encodeRaw, parseFlat, planOps, serializeFlat } from '@smeconf/db';

export interface FlatFileOptions {
  /** Where database `<name>` lives as `<dir>/<name>` (SME: /home/e-smith/db). */
  readonly dir: string;
  /** Pre-7.0 location tried when `<dir>/<name>` is absent (SME: /home/e-smith). */
  readonly legacyDir?: string;
  readonly lockTimeoutSeconds?: number;
  readonly warn?: (line: string) => void;
}

/**
 * SME's own storage: one flat file per database, byte-compatible with the
 * original, written under its `<file>.lock` protocol. A database name that
 * starts with `/` is a path. It keeps no change log.
 */
export class FlatFileBackend implements Backend {
  readonly name = 'flatfile';
  readonly capabilities = { history: false };
  readonly #options: FlatFileOptions;

  constructor(options: FlatFileOptions) {
    this.#options = options;
  }

  /** The file that holds a database; E_DB_NAME_INVALID for a name or path of a file of ours (db-name.ts). */
  pathOf(db: string): string {
    if (db.startsWith('/')) {
      checkDbPath(db, db);
      return db;
    }
    checkDbName(db);
    const path = join(this.#options.dir, db);
    const legacy = this.#options.legacyDir && join(this.#options.legacyDir, db);
    if (legacy && !existsSync(path) && statSync(legacy, { throwIfNoEntry: false })?.isFile()) {
      this.#options.warn?.(`Database found in old location ${legacy}`);
      return legacy;
    }
    return path;
  }

  async get(db: string, key: string): Promise<RecordData | undefined> {
    const raw = readRaw(this.pathOf(db)).get(key);
    return raw === undefined ? undefined : decodeRaw(raw);
  }

  async list(db: string): Promise<DbRecord[]> {
    const raw = readRaw(this.pathOf(db));
    return [...raw.keys()].sort(compareBytes).map((key) => ({ key, ...decodeRaw(raw.get(key)!) }));
  }

  async apply(db: string, ops: readonly Op[], options: ApplyOptions = {}): Promise<ApplyResult> {
    const path = this.pathOf(db);
    for (;;) {
      const lock = acquireLock(`${path}.lock`, this.#options.lockTimeoutSeconds ?? 60);
      try {
        const result = applyLocked(path, db, ops, options, lock);
        if (result !== undefined) return result;
      } finally {
        lock.release();
      }
    }
  }

  /** Parses every database file of the directory: names that are not plain (temps, locks, the SQLite store) are not databases. */
  async check(): Promise<void> {
    const { dir } = this.#options;
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && isDbName(entry.name)) readRaw(join(dir, entry.name));
    }
  }

  /** A fingerprint of the file's content (0 when absent): it changes with every write. */
  async revision(db: string): Promise<number> {
    return fingerprint(readText(this.pathOf(db)));
  }

  async close(): Promise<void> {}
}

/** One locked read-plan-write (the file read once); undefined when the lock was lost before the commit. */
function applyLocked(path: string, db: string, ops: readonly Op[], options: ApplyOptions, lock: HeldLock): ApplyResult | undefined {
  const text = readText(path);
  if (options.expectRevision !== undefined && options.expectRevision !== fingerprint(text)) {
    throw new DbError('E_DB_CONFLICT', `database ${db} changed since revision ${options.expectRevision}`);
  }
  const raw = text === undefined ? new Map<string, string>() : parseFlat(text, `database ${path}`);
  const plan = planOps({ get: (key) => (raw.has(key) ? decodeRaw(raw.get(key)!) : undefined), keys: () => raw.keys() }, ops);
  if (plan.writes.size === 0) return { revision: fingerprint(text), existed: plan.existed, changed: false };
  for (const [key, { after }] of plan.writes) {
    if (after === undefined) raw.delete(key);
    else raw.set(key, encodeRaw(after, { escapeNewlines: true, key }));
  }
  const written = serializeFlat(raw, new Date());
  if (!writeFlatFile(path, written, lock.stillHeld)) return undefined;
  return { revision: fingerprint(written), existed: plan.existed, changed: true };
}

function readRaw(path: string): Map<string, string> {
  const text = readText(path);
  return text === undefined ? new Map<string, string>() : parseFlat(text, `database ${path}`);
}

/** The file's text (E_DB_CORRUPT unless UTF-8), or undefined when there is no file. */
function readText(path: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DbError('E_DB_IO', `cannot read database ${path}: ${(error as Error).message}`, { cause: error });
  }
  return decodeFlatBytes(bytes, `database ${path}`);
}

/**
 * A flat file has no revision counter, and mtimes are too coarse to tell
 * two quick writes apart, so its revision is a 53-bit fingerprint of its
 * content (two FNV-1a hashes; 0 for no file). It changes with every write,
 * but it does not grow: callers compare revisions for equality only.
 */
function fingerprint(text: string | undefined): number {
  if (text === undefined) return 0;
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return a * 2 ** 21 + (b >>> 11) || 1;
}

/**
 * SME writes `<file>.<pid>` (mode 0640) and renames it over the file. We
 * write through @smeconf/files instead: an exclusive, no-follow temp with
 * an unpredictable name (`.<file>.smeconf-<pid>-<random>`, stale ones of
 * killed writers removed), fsynced, mode 0640, keeping the owner and group
 * of the file it replaces (SME's root:admin) when we may, and renamed only
 * if `commit()` still allows it (else the temp is removed and false
 * returned). A symlink at the path is replaced, never written through.
 */
export function writeFlatFile(path: string, content: string, commit: () => boolean = () => true): boolean {
  try {
    const existing = regularFileStats(path);
    return writeFileAtomic(path, content, { mode: 0o640, uid: existing?.uid, gid: existing?.gid, onChownDenied: () => {}, commit });
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const code = errno === 'ENOSPC' ? 'E_DB_FULL' : errno === 'EROFS' ? 'E_DB_READONLY' : 'E_DB_IO';
    throw new DbError(code, `cannot write database ${path}: ${describeSystemError(error)}`, { cause: error });
  }
}
