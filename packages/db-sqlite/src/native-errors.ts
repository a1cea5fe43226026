import { DbError } from '@smeconf/errors';

/** Turns a better-sqlite3 error into one of our codes, keeping the cause. */
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
  return new DbError('E_DB_IO', `database ${file}: ${message}`, { cause: error });
}
