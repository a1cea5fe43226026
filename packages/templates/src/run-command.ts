import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface CommandResult {
  readonly status: number;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

/**
 * Runs argv without a shell: no value can become shell syntax. A command
 * killed by a signal has status 128 + the signal's number, as a shell
 * reports it (SIGKILL 137, SIGTERM 143); one that cannot be run has 127.
 */
export function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [program, ...args] = argv;
    const child = spawn(program!, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ status: 127, output: `${output}${program}: ${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ status: code ?? 128 + (signal === null ? 0 : constants.signals[signal]), output }));
  });
}
