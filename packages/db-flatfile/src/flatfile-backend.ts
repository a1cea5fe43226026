import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DbError } from '@smeconf/errors';
import { acquireLock, regularFileStats, writeFileAtomic } from '@smeconf/files';
import type { HeldLock } from '@smeconf/files';
import type { ApplyOptions, ApplyResult, Backend, DbRecord, FlatScan, Op, RecordData, RecordSource } from '@smeconf/db';
import { checkDbName, checkDbPath, isDbName, compareBytes, decodeFlatBytes, describeSystemError, decodeRaw, encodeRaw, parseFlat, planOps, rawAt, scanFlat, serializeFlat, spliceFlat } from '@smeconf/db';

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
    const path = this.pathOf(db);
    const bytes = readBytes(path) ?? EMPTY;
    const scan = scanFlat(bytes, `database ${path}`, [key]);
    const raw = scan.canonical ? rawAt(scan, key) : parseBytes(bytes, path).get(key);
    return raw === undefined ? undefined : decodeRaw(raw);
  }

  async list(db: string): Promise<DbRecord[]> {
    const path = this.pathOf(db);
    const raw = parseBytes(readBytes(path) ?? EMPTY, path);
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

  /** Reads every database file of the directory: names that are not plain (temps, locks, the SQLite store) are not databases. */
  async check(): Promise<void> {
    const { dir } = this.#options;
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && isDbName(entry.name)) {
        const path = join(dir, entry.name);
        const bytes = readBytes(path) ?? EMPTY;
        if (!scanFlat(bytes, `database ${path}`, []).canonical) parseBytes(bytes, path);
      }
    }
  }

  /** A fingerprint of the file's content (0 when absent): it changes with every write. */
  async revision(db: string): Promise<number> {
    return fingerprint(readBytes(this.pathOf(db)));
  }

  async close(): Promise<void> {}
}

/**
 * One locked read-plan-write (the file read once); undefined when the lock
 * was lost before the commit. A canonical file (flat-lines.ts) gets the
 * changed lines spliced into its bytes; any other is parsed and written
 * whole. Both give the same bytes (packages/db-flatfile/test/flat-splice.test.ts).
 */
function applyLocked(path: string, db: string, ops: readonly Op[], options: ApplyOptions, lock: HeldLock): ApplyResult | undefined {
  const bytes = readBytes(path);
  if (options.expectRevision !== undefined && options.expectRevision !== fingerprint(bytes)) {
    throw new DbError('E_DB_CONFLICT', `database ${db} changed since revision ${options.expectRevision}`);
  }
  const keys = ops.map((op) => (op.op === 'clear' ? undefined : op.key));
  const scan = scanFlat(bytes ?? EMPTY, `database ${path}`, keys.filter((key) => key !== undefined));
  // a clear touches every key, and a key with a lone surrogate is not looked for: those take the full path
  const splice = scan.canonical && keys.every((key) => key !== undefined && scan.places.has(key));
  const raw = splice ? undefined : parseBytes(bytes ?? EMPTY, path);
  const plan = planOps(raw ? mapSource(raw) : scanSource(scan), ops);
  if (plan.writes.size === 0) return { revision: fingerprint(bytes), existed: plan.existed, changed: false };
  const changes = new Map<string, string | undefined>();
  for (const [key, { after }] of plan.writes) changes.set(key, after && encodeRaw(after, { escapeNewlines: true, key }));
  const written = raw ? Buffer.from(serializeFlat(applyChanges(raw, changes), new Date())) : spliceFlat(scan, changes, new Date());
  if (!writeFlatFile(path, written, lock.stillHeld)) return undefined;
  return { revision: fingerprint(written), existed: plan.existed, changed: true };
}

const EMPTY = Buffer.alloc(0);

function applyChanges(raw: Map<string, string>, changes: ReadonlyMap<string, string | undefined>): Map<string, string> {
  for (const [key, value] of changes) {
    if (value === undefined) raw.delete(key);
    else raw.set(key, value);
  }
  return raw;
}

function mapSource(raw: ReadonlyMap<string, string>): RecordSource {
  return { get: (key) => (raw.has(key) ? decodeRaw(raw.get(key)!) : undefined), keys: () => raw.keys() };
}

/** The records of a canonical scan: only the keys it looked for (a clear takes the full path). */
function scanSource(scan: FlatScan): RecordSource {
  return {
    get(key) {
      const raw = rawAt(scan, key);
      return raw === undefined ? undefined : decodeRaw(raw);
    },
    keys() {
      throw new Error('a clear takes the full path');
    },
  };
}

/** The full path: every record of the file (E_DB_CORRUPT naming file and line). */
function parseBytes(bytes: Buffer, path: string): Map<string, string> {
  const source = `database ${path}`;
  return parseFlat(decodeFlatBytes(bytes, source), source);
}

/** The file's bytes, or undefined when there is no file. */
function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DbError('E_DB_IO', `cannot read database ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * A flat file has no revision counter, and mtimes are too coarse to tell
 * two quick writes apart, so its revision is a 53-bit fingerprint of its
 * bytes: their CRC-32 and their length modulo 2^21 (0 for no file; zlib's
 * CRC-32 reads 20 MB in ~5 ms, an FNV hash in JavaScript took ~100 ms). It
 * changes with every write, but it does not grow: callers compare
 * revisions for equality only.
 */
function fingerprint(bytes: Buffer | undefined): number {
  if (bytes === undefined) return 0;
  const { crc32 } = process.getBuiltinModule('node:zlib');
  return crc32(bytes) * 2 ** 21 + (bytes.length % 2 ** 21) || 1;
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
export function writeFlatFile(path: string, content: string | Uint8Array, commit: () => boolean = () => true): boolean {
  try {
    const existing = regularFileStats(path);
    return writeFileAtomic(path, content, { mode: 0o640, uid: existing?.uid, gid: existing?.gid, onChownDenied: () => {}, commit });
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const code = errno === 'ENOSPC' ? 'E_DB_FULL' : errno === 'EROFS' ? 'E_DB_READONLY' : 'E_DB_IO';
    throw new DbError(code, `cannot write database ${path}: ${describeSystemError(error)}`, { cause: error });
  }
}
