import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { DbError } from '@smeconf/errors';

export interface HeldLock {
  /** Whether the lock path still names the file we locked (see acquireLock). */
  readonly stillHeld: () => boolean;
  readonly release: () => void;
}

export interface LockOptions {
  /**
   * Leave the lock file in place on release: for a lock file only our own
   * tools take (signal-event's), where the race below cannot happen. It
   * spares the /proc/locks read, whose first read in a process waits for
   * the kernel (an RCU grace period: 10–30 ms measured, docs/decisions.md).
   */
  readonly keepFile?: boolean;
}

/**
 * Takes an exclusive flock on a lock file (SME's write lock is
 * `<file>.lock`; signal-event has its own), removed again on release
 * unless `keepFile`, so that our writes and the original Perl tools
 * serialise on the same file.
 * Node has no flock, so flock(1) takes it on an inherited descriptor: the
 * lock belongs to the open file description, which stays ours after the
 * child exits.
 *
 * Removing the lock file is racy: a writer already queued on it gets a
 * lock on a file that no longer has that name while a newcomer locks a
 * fresh one. We check after locking (and writers again just before they
 * commit) that the name is still ours, and retry if not. SME's Perl does
 * not check, so we remove the lock file only when no one waits on it.
 */
export function acquireLock(lockPath: string, timeoutSeconds: number, options: LockOptions = {}): HeldLock {
  for (;;) {
    const fd = openLockFile(lockPath);
    // Loaded here, not at start-up: only writers of flat files need it.
    const { spawnSync } = process.getBuiltinModule('node:child_process');
    const result = spawnSync('flock', ['-x', '-w', String(timeoutSeconds), '3'], {
      stdio: ['ignore', 'ignore', 'pipe', fd],
    });
    if (result.error !== undefined || result.status !== 0) {
      closeSync(fd);
      if (result.error !== undefined) {
        throw new DbError('E_DB_IO', `cannot lock ${lockPath}: flock(1) failed to run`, { cause: result.error });
      }
      throw new DbError('E_DB_BUSY', `cannot lock ${lockPath}: still held by another writer after ${timeoutSeconds}s`);
    }
    const held = fstatSync(fd);
    const namesOurs = (): boolean => {
      const current = statSync(lockPath, { throwIfNoEntry: false });
      return current !== undefined && current.ino === held.ino && current.dev === held.dev;
    };
    if (namesOurs()) {
      return {
        stillHeld: namesOurs,
        release() {
          // Never remove a newcomer's lock file, nor one that a writer waits on.
          if (options.keepFile !== true && namesOurs() && !hasWaiters(held)) unlinkSync(lockPath);
          closeSync(fd);
        },
      };
    }
    closeSync(fd);
  }
}

/**
 * Whether a flock request waits on this file: a `->` line of /proc/locks
 * (`N: -> FLOCK ADVISORY WRITE PID MAJ:MIN:INODE …`, device numbers in hex).
 * Where /proc/locks cannot be read we say yes, and keep the lock file.
 */
function hasWaiters(file: Stats): boolean {
  let locks: string;
  try {
    locks = readFileSync('/proc/locks', 'latin1');
  } catch {
    return true;
  }
  const major = ((file.dev >>> 8) & 0xfff) | ((file.dev / 2 ** 32) & ~0xfff);
  const minor = (file.dev & 0xff) | ((file.dev >>> 12) & 0xfff00);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${file.ino}`;
  return locks.split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1] === '->' && fields[6] === id;
  });
}

/** Opens (creating, 0640) the lock file; never through a symlink, which could make us create any file. */
function openLockFile(lockPath: string): number {
  try {
    return openSync(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o640);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'ELOOP' ? 'it is a symbolic link' : `${code}`;
    throw new DbError('E_DB_IO', `cannot lock ${lockPath}: ${why}`, { cause: error });
  }
}
