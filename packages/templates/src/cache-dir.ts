import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The effective uid: who must own the cache and its entries. */
export const OWN_UID = process.geteuid?.() ?? 0;

const verdicts = new Map<string, boolean>();

/**
 * Whether a compiled-fragment cache directory may hold code we run: a real
 * directory (not a symlink), owned by us, that no one else can write.
 * Checked once per process and directory, and created 0700 if missing.
 * One that is ours but looser is repaired: mode 0700 and, if others could
 * write it, every entry removed (anything in it may have been planted).
 * Another owner's, a symlink, one inside a directory others may write (they
 * could swap it) or an unusable path is not used (fragments are then
 * compiled in memory). Each case is one warning.
 */
export function usableCacheDir(dir: string, warn: (message: string) => void): boolean {
  let verdict = verdicts.get(dir);
  if (verdict === undefined) {
    verdict = checkCacheDir(dir, warn);
    verdicts.set(dir, verdict);
  }
  return verdict;
}

/** Stops using a directory for the rest of the process (e.g. it could not be written). */
export function giveUpCacheDir(dir: string, warn: (message: string) => void, why: string): void {
  if (verdicts.get(dir) === false) return;
  verdicts.set(dir, false);
  warn(`compiled-fragment cache ${dir}: ${why}; compiling in memory`);
}

function checkCacheDir(dir: string, warn: (message: string) => void): boolean {
  const refuse = (why: string) => {
    warn(`compiled-fragment cache ${dir} ${why}: not used, compiling in memory`);
    return false;
  };
  try {
    if (lstatSync(dir, { throwIfNoEntry: false }) === undefined) mkdirSync(dir, { recursive: true, mode: 0o700 });
    const loose = looseAncestor(dir);
    if (loose !== undefined) return refuse(`is inside ${loose}, which others may write`);
    // opened, not looked up by name again: what we check is what we repair
    const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    try {
      const stats = fstatSync(fd);
      if (stats.uid !== OWN_UID) return refuse(`is owned by uid ${stats.uid}, not ${OWN_UID}`);
      const mode = stats.mode & 0o7777;
      if (mode === 0o700) return true;
      fchmodSync(fd, 0o700);
      const planted = (mode & 0o022) !== 0;
      // through the descriptor: never into whatever the name points to by now
      const opened = `/proc/self/fd/${fd}`;
      if (planted) for (const name of readdirSync(opened)) rmSync(join(opened, name), { recursive: true, force: true });
      warn(`compiled-fragment cache ${dir} was mode ${octal(mode)}, now 0700${planted ? '; its entries were removed' : ''}`);
      return true;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'ENOTDIR') return refuse('is a symbolic link or not a directory');
    return refuse(`cannot be used (${(error as Error).message})`);
  }
}

/** The first directory above `dir` that someone else may write (not ours or root's, or group/other-writable without the sticky bit). */
function looseAncestor(dir: string): string | undefined {
  for (let path = dirname(resolve(dir)); ; path = dirname(path)) {
    const stats = statSync(path);
    const othersWrite = (stats.mode & 0o022) !== 0 && (stats.mode & 0o1000) === 0;
    if ((stats.uid !== OWN_UID && stats.uid !== 0) || othersWrite) return path;
    if (path === dirname(path)) return undefined;
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
