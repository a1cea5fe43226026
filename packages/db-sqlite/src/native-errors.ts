import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DbError } from '@smeconf/errors';

/**
 * Turns a better-sqlite3 error into one of our codes, keeping the cause.
 * SQLite reports a full disk or a read-only file system as SQLITE_FULL, or
 * as a bare "disk I/O error" / "unable to open database file" when it is
 * the -shm or -wal that cannot grow or be created: the file system says
 * which (E_DB_FULL, E_DB_READONLY).
 */
export function translateSqliteError(error: unknown, file: string): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const message = (error as Error).message;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new DbError('E_DB_BUSY', `database ${file} is busy: ${message}`, { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new DbError('E_DB_CORRUPT', `database ${file} is not a valid smeconf store: ${message}`, { cause: error });
  }
  const state = fileSystemState(dirname(file));
  if (code === 'SQLITE_FULL' || state === 'full') {
    return new DbError('E_DB_FULL', `database ${file}: the disk is full`, { cause: error });
  }
  if (state === 'read-only') {
    return new DbError('E_DB_READONLY', `database ${file}: the file system is read-only`, { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new DbError('E_DB_READONLY', `database ${file} is read-only: ${message}`, { cause: error });
  }
  return new DbError('E_DB_IO', `database ${file}: ${message}`, { cause: error });
}

/** Whether the store's file system cannot take a write: no free block left (for us), or mounted read-only. */
function fileSystemState(dir: string): 'full' | 'read-only' | undefined {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EROFS') return 'read-only';
  }
  try {
    const stats = statfsSync(dir);
    return (process.getuid?.() === 0 ? stats.bfree : stats.bavail) === 0 ? 'full' : undefined;
  } catch {
    return undefined;
  }
}

/** Errors after which a reader may still read a snapshot of the main file (full disk, read-only file system). */
export function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(IOERR|CANTOPEN|FULL|READONLY)/.test(code);
}
