import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { binPath } from './cli.ts';
import type { BinName, Scratch } from './cli.ts';

const PRELOAD = fileURLToPath(new URL('./pause-in-write.cjs', import.meta.url));
const MARKER = 'smeconf-test: paused ';

/** Where the writer stops (see pause-in-write.cjs): a point of its write path, not a moment. */
export interface PausePoint {
  readonly at: 'writeSync' | 'fsyncSync' | 'renameSync' | 'sql';
  /** A regular expression for the file path (or the SQL text). */
  readonly match: string;
  readonly nth?: number;
  readonly when?: 'before' | 'after' | 'half';
}

/**
 * Runs a bin until it reaches `point` inside its write, then kills it with
 * SIGKILL there. Resolves with the marker line the writer printed; rejects
 * if the writer ends without reaching the point (the test would prove
 * nothing), so a kill that lands before or after the write cannot pass.
 */
export function killMidWrite(scratch: Scratch, bin: BinName, args: readonly string[], point: PausePoint): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...scratch.env, SMECONF_TEST_PAUSE: JSON.stringify(point) };
    const child = spawn(process.execPath, ['-r', PRELOAD, binPath(bin), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes(MARKER)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const marker = stderr.split('\n').find((line) => line.startsWith(MARKER));
      if (marker !== undefined && signal === 'SIGKILL') resolve(marker);
      else reject(new Error(`${bin} ${args.join(' ')} ended (${signal ?? status}) without reaching ${JSON.stringify(point)}: ${stderr}`));
    });
  });
}
