import { lstatSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_NAME } from './temp-file.ts';

/** Linux's largest possible pid (pid_max cannot exceed 2^22). */
const PID_MAX = 4_194_304;

/**
 * Removes the temp files that runs killed mid-write left in a directory:
 * names of our exact pattern (TEMP_NAME) whose process is gone, regular
 * files only (a symlink or directory of that name is left alone; unlink
 * never follows a link). Returns the names removed. A zombie (killed, not
 * yet reaped) is gone; a process that cannot be asked (another user's,
 * EPERM) counts as alive; a recycled pid keeps its temp until that process
 * is gone too.
 */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[2] ?? 0);
    if (pid <= 0 || pid > PID_MAX || isAlive(pid)) continue;
    const path = join(dir, name);
    if (!lstatSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    try {
      unlinkSync(path);
      removed.push(name);
    } catch {
      // removed meanwhile, or not ours to remove: leave it
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !isZombie(pid);
}

/** Linux: the state field of /proc/PID/stat (after the last ')', as the command name may hold one) is Z or X. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  return /^ [ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1));
}
