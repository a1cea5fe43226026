import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeSystemError } from '@smeconf/db';

/**
 * The structured event log (one JSON object a line, mode 0640: handler
 * output may hold secrets). It is bookkeeping: when it cannot be written
 * (a full disk, a read-only file system) the event goes on, with one
 * warning line, and a line cut short is cut back off the file.
 */
export class EventLog {
  readonly #path: string;
  readonly #warn: (line: string) => void;
  #broken = false;

  constructor(path: string, warn: (line: string) => void) {
    this.#path = path;
    this.#warn = warn;
  }

  append(entry: Record<string, unknown>): void {
    if (this.#broken) return;
    let fd: number | undefined;
    let size = 0;
    try {
      mkdirSync(dirname(this.#path), { recursive: true });
      fd = openSync(this.#path, 'a', 0o640);
      size = fstatSync(fd).size;
      writeFileSync(fd, JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
    } catch (error) {
      this.#broken = true;
      if (fd !== undefined) cutBack(fd, size);
      this.#warn(`warning: cannot write the event log ${this.#path}: ${describeSystemError(error)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

function cutBack(fd: number, size: number): void {
  try {
    if (fstatSync(fd).size > size) ftruncateSync(fd, size);
  } catch {
    // the warning says the log is incomplete
  }
}
