import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fchmodSync, lstatSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathInsideRoot } from '../root-path.ts';

/** dehydrated's WELLKNOWN under the root (templates/etc/dehydrated/config), where Apache's ACME alias points. */
export const CHALLENGE_DIR = 'home/e-smith/files/ibays/Primary/html/.well-known/acme-challenge';

/** The probe of one run: a file in the challenge directory, and what it must be served as. */
export interface Probe {
  /** The file's name: the last part of the challenge URL. */
  readonly token: string;
  /** Its content: the token and a second random part, like a key authorization (a server echoing the URL does not pass). */
  readonly body: string;
  /** Removes the file (gone already: nothing to do). */
  remove(): void;
}

const randomPart = (bytes: number) => randomBytes(bytes).toString('base64url');

/**
 * Writes a fresh probe file into `challengeDir`, creating the directory
 * (0755, so Apache's children can search it) if missing. With `root`, the
 * directory's existing part must really be inside it (no `..` or symlink
 * out of the root); nothing is created before that holds. The file is
 * created exclusively, never through a symlink, mode 0644 whatever the
 * umask (Apache's children read it). Throws an Error whose message says why.
 */
export function placeProbe(challengeDir: string, root?: string): Probe {
  const dir = root === undefined ? challengeDir : confined(challengeDir, root);
  makeDirectories(dir);
  const token = `smeconf-probe-${randomPart(24)}`;
  const body = `${token}.${randomPart(32)}`;
  const path = join(dir, token);
  // 'wx' is O_CREAT|O_EXCL: fails on anything already there, a symlink included (never followed)
  const fd = openSync(path, 'wx', 0o644);
  try {
    fchmodSync(fd, 0o644);
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return {
    token,
    body,
    remove: () => {
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
  };
}

/** `dir` with its deepest existing ancestor replaced by that ancestor's real path, which must be inside the root. */
function confined(dir: string, root: string): string {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const inside = pathInsideRoot(root, existing);
  if ('why' in inside) throw new Error(inside.why);
  return join(inside.path, relative(existing, dir));
}

/** mkdir -p with mode 0755 on each directory made (the umask would narrow it). */
function makeDirectories(dir: string): void {
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
    return;
  }
  makeDirectories(dirname(dir));
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
}
