import { randomBytes } from 'node:crypto';
import { constants, openSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Our temp files: `.NAME.smeconf-<pid>-<16 hex>` beside the target NAME.
 * The pid says whose it is (so a later run can tell a stale one), the
 * random part makes the name unpredictable. The form without the random
 * part is what smeconf 0.1 wrote; stale ones of that form are ours too.
 */
export const TEMP_NAME = /^\.(.+)\.smeconf-(\d+)(?:-[0-9a-f]{16})?$/;

/** A fresh temp path in the target's directory (see TEMP_NAME). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.smeconf-${process.pid}-${randomBytes(8).toString('hex')}`);
}

const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Creates a file that did not exist, for writing: fails (EEXIST) on
 * anything already at the path, a symlink included, so a planted link
 * is never followed. The mode is masked by the umask.
 */
export function openExclusive(path: string, mode = 0o600): number {
  return openSync(path, EXCLUSIVE, mode);
}

/** Creates a new temp file beside the target (mode 0600): its path and an open descriptor. */
export function createTemp(target: string): { readonly path: string; readonly fd: number } {
  for (let attempt = 1; ; attempt++) {
    const path = tempPathFor(target);
    try {
      return { path, fd: openExclusive(path) };
    } catch (error) {
      // a name taken by chance: draw another; taken three times running is no chance
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt === 3) throw error;
    }
  }
}
