import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer } from 'node:net';

/** Processes a test started, stopped by PID in after(), whatever happened. */
export class Processes {
  readonly #children: ChildProcess[] = [];
  readonly #pids: number[] = [];

  start(argv: readonly string[], log: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
    const out = openSync(log, 'a');
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', out, out] });
    this.#children.push(child);
    return child;
  }

  /** A process something else started (a daemon's pid file). */
  adopt(pid: number): void {
    this.#pids.push(pid);
  }

  async stopAll(): Promise<void> {
    const pids = [...this.#pids, ...this.#children.map((c) => c.pid).filter((p): p is number => p !== undefined)];
    for (const pid of pids) signal(pid, 'SIGTERM');
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until probe() is truthy (bounded): for effects of processes we started. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
