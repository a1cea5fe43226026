import { basename } from 'node:path';
import { DbError } from '@smeconf/errors';

/**
 * Database names. A plain name (letters, digits, `-`, `_`, `.`, not
 * starting with `.`) names a database of the configured backend; SME's
 * legacy paths (a name with `/`, or any name under DBPATH) are flat files
 * wherever they point. Neither may name one of smeconf's own files in a db
 * directory: the SQLite store and its companions (`smeconf.sqlite`,
 * `-wal`, `-shm`, `-journal`, …) and lock files (`*.lock`), which a flat-file
 * write would destroy.
 */
const PLAIN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const RESERVED = /^smeconf\.sqlite|\.lock$/;

/** Whether `name` is a plain name of no file of ours (what checkDbName accepts). */
export function isDbName(name: string): boolean {
  return PLAIN.test(name) && !RESERVED.test(name);
}

/** Throws E_DB_NAME_INVALID unless `name` is a plain name of no file of ours. */
export function checkDbName(name: string): void {
  const problem =
    name === '' ? 'it is empty'
    : name.startsWith('.') ? 'it starts with "."'
    : !PLAIN.test(name) ? 'only letters, digits, "-", "_" and "." are allowed'
    : undefined;
  if (problem !== undefined) throw invalid(name, problem);
  checkNotReserved(name, name);
}

/** A legacy path (shown as `given`) may be anything but one of our own files. */
export function checkDbPath(path: string, given: string): void {
  checkNotReserved(basename(path), given);
}

function checkNotReserved(fileName: string, given: string): void {
  if (RESERVED.test(fileName)) throw invalid(given, "it is reserved for smeconf's own files");
}

function invalid(name: string, problem: string): DbError {
  return new DbError('E_DB_NAME_INVALID', `invalid database name ${JSON.stringify(name)}: ${problem}`, { details: { name } });
}
