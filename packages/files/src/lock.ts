import { closeSync, constants, fstatSync, openSync, statSync } from 'node:fs';
import { DbError } from '@smeconf/errors';

export interface HeldLock {
  /** Whether the lock path still names the file we locked (see acquireLock). */
  readonly stillHeld: () => boolean;
  readonly release: () => void;
}

/**
 * Takes an exclusive flock on a lock file (SME's write lock is
 * `<file>.lock`; signal-event has its own), so that our writes and the
 * original Perl tools serialise on the same file. Node has no flock, so
 * flock(1) takes it on an inherited descriptor: the lock belongs to the
 * open file description, which stays ours after the child exits.
 *
 * The lock file stays on release. SME unlinks it after unlocking, which is
 * racy: a writer already queued on it gets a lock on a file that no longer
 * has that name while a newcomer locks a fresh one. We never unlink it (we
 * used to, only when /proc/locks showed no waiter, but the first read of
 * /proc/locks in a while waits for the kernel: 10–20 ms a write), and we
 * check after locking (and writers again just before they commit) that the
 * name is still the file we locked, since SME's Perl still unlinks it, and
 * retry if not.
 */
export function acquireLock(lockPath: string, timeoutSeconds: number): HeldLock {
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
        release: () => closeSync(fd),
      };
    }
    closeSync(fd);
  }
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
