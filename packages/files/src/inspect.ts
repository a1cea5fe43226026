import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** What is at a path, without following a symlink there. */
export type Existing =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly text: string; readonly stats: Stats }
  | { readonly kind: 'directory'; readonly stats: Stats }
  | { readonly kind: 'symlink'; readonly stats: Stats }
  /** A FIFO, socket or device: never opened. */
  | { readonly kind: 'special'; readonly stats: Stats };

const READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Reads what is at a path if it is a regular file; otherwise says what it
 * is. A symlink's target is never read, not even when a file is swapped
 * for a link between the look and the read (the read opens O_NOFOLLOW and
 * checks what it opened). Other errors (EACCES, EIO) are thrown.
 */
export function inspectPath(path: string): Existing {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return { kind: 'absent' };
  if (stats.isSymbolicLink()) return { kind: 'symlink', stats };
  if (stats.isDirectory()) return { kind: 'directory', stats };
  if (!stats.isFile()) return { kind: 'special', stats };
  let fd: number;
  try {
    fd = openSync(path, READ);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ELOOP') throw error;
    // replaced meanwhile: by nothing, or by a symlink (ELOOP)
    const now = lstatSync(path, { throwIfNoEntry: false });
    return now === undefined ? { kind: 'absent' } : { kind: 'symlink', stats: now };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { kind: opened.isDirectory() ? 'directory' : 'special', stats: opened };
    return { kind: 'file', text: readFileSync(fd, 'utf8'), stats: opened };
  } finally {
    closeSync(fd);
  }
}

/** The path's own metadata when it is a regular file (not through a symlink), else undefined. */
export function regularFileStats(path: string): Stats | undefined {
  const stats = lstatSync(path, { throwIfNoEntry: false });
  return stats?.isFile() ? stats : undefined;
}
