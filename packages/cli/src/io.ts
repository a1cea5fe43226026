import { writeSync } from 'node:fs';

/** Where a command writes: injected so that tests can call main() directly. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Show stacks after error lines (SMECONF_DEBUG=1). */
  readonly debug?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Writes all of `text` to `fd` now. process.stdout and process.stderr are
 * never created: that costs a `db getprop` several ms on a pipe. A reader
 * that went away (EPIPE: `db … | head -1`) drops the rest quietly and the
 * command keeps its exit status; an inherited non-blocking descriptor
 * (EAGAIN) is waited for. Any other error is thrown.
 */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; ) {
    try {
      at += writeSync(fd, bytes, at);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // 1 ms, then try again
    }
  }
}

/** Errors while reporting an error have nowhere to go. */
function writeError(text: string): void {
  try {
    writeAll(2, text);
  } catch {
    // stderr is gone
  }
}

export const processIo: Io = {
  out: (text) => writeAll(1, text),
  err: writeError,
  debug: process.env['SMECONF_DEBUG'] === '1',
};
