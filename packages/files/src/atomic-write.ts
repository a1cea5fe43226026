import { closeSync, fchmodSync, fchownSync, fsyncSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { removeStaleTemps } from './stale-temps.ts';
import { createTemp } from './temp-file.ts';

export interface StageOptions {
  /** The file's mode, exactly (not masked by the umask). */
  readonly mode: number;
  /** Owner and group to give it; undefined keeps the writer's. */
  readonly uid?: number | undefined;
  readonly gid?: number | undefined;
  /**
   * Called instead of failing when the owner cannot be given (EPERM: not
   * root). Without it, that is an error.
   */
  readonly onChownDenied?: ((error: Error) => void) | undefined;
  /** fsync the content before returning (default true; false for a cache that checks its entries). */
  readonly durable?: boolean | undefined;
}

/**
 * Writes content to a new temp file beside the target (see createTemp:
 * exclusive, never through a symlink, an unpredictable name), with its
 * final mode and owner, fsynced. Stale temps of dead runs in that
 * directory are removed first (once per process and directory: a cache
 * directory gets many writes). Returns the temp's path, for commitFile or
 * discardFile. On error nothing is left behind.
 */
export function stageFile(target: string, content: string | Uint8Array, options: StageOptions): string {
  const dir = dirname(target);
  if (!swept.has(dir)) {
    swept.add(dir);
    removeStaleTemps(dir);
  }
  const { path, fd } = createTemp(target);
  try {
    try {
      writeAll(fd, typeof content === 'string' ? Buffer.from(content) : content);
      fchmodSync(fd, options.mode);
      if (options.uid !== undefined || options.gid !== undefined) giveOwner(fd, options);
      if (options.durable !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    discardFile(path);
    throw error;
  }
  return path;
}

const swept = new Set<string>();

/** Swaps a staged file in: a rename, which replaces a symlink at the target rather than following it. */
export function commitFile(temp: string, target: string): void {
  renameSync(temp, target);
}

export function discardFile(temp: string): void {
  rmSync(temp, { force: true });
}

/**
 * stageFile then commitFile, as one step: readers see the old file or the
 * new one, never a part. `commit`, asked just before the rename, can still
 * call it off (false is returned, nothing changed).
 */
export function writeFileAtomic(target: string, content: string | Uint8Array, options: StageOptions & { readonly commit?: () => boolean }): boolean {
  const temp = stageFile(target, content, options);
  try {
    if (options.commit !== undefined && !options.commit()) {
      discardFile(temp);
      return false;
    }
    commitFile(temp, target);
    return true;
  } catch (error) {
    discardFile(temp);
    throw error;
  }
}

/** write(2) until every byte is out (writeFileSync's string fast path would skip fs.writeSync, which tests hook). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

function giveOwner(fd: number, options: StageOptions): void {
  try {
    fchownSync(fd, options.uid ?? -1, options.gid ?? -1);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM' || options.onChownDenied === undefined) throw error;
    options.onChownDenied(error as Error);
  }
}
