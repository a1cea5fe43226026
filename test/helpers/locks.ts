import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

/**
 * How many flock requests wait on the file right now: its `->` lines in
 * /proc/locks (`N: -> FLOCK ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF`).
 */
export function flockWaiters(path: string): number {
  const ino = statSync(path).ino;
  return readFileSync('/proc/locks', 'latin1')
    .split('\n')
    .filter((line) => {
      const fields = line.trim().split(/\s+/);
      return fields[1] === '->' && fields[2] === 'FLOCK' && fields[6]?.endsWith(`:${ino}`) === true;
    }).length;
}

export interface HeldFlock {
  /** Lets go of the lock; resolves once the holder has exited. */
  release(): Promise<void>;
}

/** Takes an exclusive flock on `path` (created if missing) in a flock(1) process, and holds it until release(). */
export function holdFlock(path: string): Promise<HeldFlock> {
  return new Promise((resolve, reject) => {
    const holder = spawn('flock', ['-x', path, 'sh', '-c', 'echo held; read line'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<void>((done) => holder.on('close', () => done()));
    holder.on('error', reject);
    holder.stdout.once('data', () =>
      resolve({
        release: async () => {
          holder.stdin.end();
          await exited;
        },
      }),
    );
  });
}
