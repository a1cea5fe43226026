import { closeSync, fstatSync, openSync, statSync, unlinkSync } from 'node:fs';
import { DbError } from '@smeconf/errors';

export interface HeldLock {
  release(): void;
}

/**
 * Takes SME's write lock: an exclusive flock on `<file>.lock`, removed
 * again on release, so that our writes and the original Perl tools
 * serialise on the same file. Node has no flock, so flock(1) takes it on an
 * inherited descriptor: the lock belongs to the open file description,
 * which stays ours after the child exits.
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
    // The holder before us unlinks the lock file on release; if we locked
    // that unlinked file, a newcomer may hold a fresh one: try again.
    const held = fstatSync(fd);
    const current = statSync(lockPath, { throwIfNoEntry: false });
    if (current !== undefined && current.ino === held.ino && current.dev === held.dev) {
      return {
        release() {
          unlinkSync(lockPath);
          closeSync(fd);
        },
      };
    }
    closeSync(fd);
  }
}

function openLockFile(lockPath: string): number {
  try {
    return openSync(lockPath, 'a', 0o640);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : `${code}`;
    throw new DbError('E_DB_IO', `cannot lock ${lockPath}: ${why}`, { cause: error });
  }
}
