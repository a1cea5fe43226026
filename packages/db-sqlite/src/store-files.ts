import { chmodSync, closeSync, constants, existsSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DbError } from '@smeconf/errors';
import { describeSystemError } from '@smeconf/db';

/**
 * The store holds every value and, in its change log, every old value
 * (passwords too): it is 0640 like SME's flat files (root:admin there).
 * SQLite creates `-wal`, `-shm` and `-journal` with the mode of the main
 * file (os_unix.c, findCreateFileMode / unixOpenSharedMemory, whatever the
 * umask), so creating the main file 0640 ourselves, before SQLite opens
 * it, leaves no moment where any of them is readable by others.
 */
export const STORE_MODE = 0o640;
const COMPANIONS = ['', '-wal', '-shm', '-journal'];

/** Creates the (empty) store file 0640; E_DB_IO when its directory is missing. */
export function createStoreFile(file: string): void {
  if (!existsSync(dirname(file))) {
    throw new DbError('E_DB_IO', `cannot create database ${file}: directory ${dirname(file)} does not exist`);
  }
  const { O_WRONLY, O_CREAT, O_APPEND, O_NOFOLLOW } = constants;
  closeSync(openSync(file, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, STORE_MODE));
}

/**
 * Narrows the store and its companions to at most 0640, one warning line
 * for each file changed (or that could not be changed: a read-only file
 * system, another owner); a stricter mode such as 0600 is kept.
 */
export function narrowModes(file: string, warn: (line: string) => void): void {
  for (const suffix of COMPANIONS) {
    const path = file + suffix;
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined || !stats.isFile()) continue;
    const mode = stats.mode & 0o7777;
    if ((mode & ~STORE_MODE) === 0) continue;
    const narrowed = mode & STORE_MODE;
    try {
      chmodSync(path, narrowed);
      warn(`${path} was mode ${octal(mode)}, now ${octal(narrowed)}`);
    } catch (error) {
      warn(`${path} is mode ${octal(mode)} (wider than ${octal(STORE_MODE)}) and cannot be narrowed: ${describeSystemError(error)}`);
    }
  }
}

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');
