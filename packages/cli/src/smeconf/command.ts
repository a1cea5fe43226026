import type { Argv } from 'yargs';
import type { Env, Io } from '../io.ts';

/** The types `smeconf` and its command modules share (kept here so no module imports main.ts back). */
export interface SmeconfMainOptions {
  readonly env: Env;
  readonly stockDir: string;
}

export interface CommandContext extends SmeconfMainOptions {
  readonly io: Io;
}

/** What a command's handler hands back: the work, run after parsing. */
export type Task = () => Promise<number>;

/** A yargs command module whose handler returns the task to run. */
export interface SmeconfCommand {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  readonly task: (args: Record<string, unknown>, context: CommandContext) => Task;
  /** Runs without an SME root (else a missing root is E_ROOT_MISSING before the task). */
  readonly rootless?: boolean;
}
