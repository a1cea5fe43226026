import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The service's output goes there (appended). */
  readonly logPath: string;
  /** Our own pid file for the service: written once it runs, removed if it dies before it is ready. */
  readonly trackIn: string;
  /** A pid file the service writes once it is ready (Apache's PidFile): wait until it names the started process. */
  readonly readyPidFile?: string | undefined;
  /** How long to wait for readyPidFile. */
  readonly timeoutMs: number;
}

export interface Started {
  readonly ok: boolean;
  /** Set while the process runs (also when it is late to be ready). */
  readonly pid?: number;
  /** On failure: the service's output of this start, and why. */
  readonly output: string;
}

/**
 * Starts a long-running process, detached, its output in a log. Without
 * readyPidFile it has started once the program was executed (as systemd's
 * Type=simple). With one, it has started once that file names its pid; if
 * it exits first, the start failed (its output is returned). Either outcome
 * is an event, not a delay: nothing depends on how fast the machine is
 * (only a service that never gets ready waits out `timeoutMs`).
 */
export async function startDetached(service: string, argv: readonly string[], options: StartOptions): Promise<Started> {
  const from = statSync(options.logPath, { throwIfNoEntry: false })?.size ?? 0;
  const log = openSync(options.logPath, 'a');
  let child;
  try {
    child = spawn(argv[0]!, argv.slice(1), { env: options.env, detached: true, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(code !== null ? `status ${code}` : `signal ${signal}`)));
  const failedToRun = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (failedToRun !== undefined || child.pid === undefined) return { ok: false, output: `${service}: cannot start ${argv[0]}: ${failedToRun?.message ?? 'no process'}\n` };
  const pid = child.pid;
  writeFileSync(options.trackIn, `${pid}\n`);
  if (options.readyPidFile === undefined) {
    child.unref();
    return { ok: true, pid, output: '' };
  }
  const waiting = { over: false };
  const outcome = await Promise.race([exited.then((how) => ({ how })), readiness(options.readyPidFile, pid, options.timeoutMs, waiting)]);
  waiting.over = true;
  child.unref();
  if (typeof outcome === 'boolean') {
    if (outcome) return { ok: true, pid, output: '' };
    const seconds = options.timeoutMs / 1000;
    return { ok: false, pid, output: `${logSince(options.logPath, from)}${service} was not ready after ${seconds} s: ${options.readyPidFile} does not name its process ${pid}\n` };
  }
  rmSync(options.trackIn, { force: true });
  return { ok: false, output: `${logSince(options.logPath, from)}${service} exited with ${outcome.how} before it was ready (${options.readyPidFile} never named it)\n` };
}

/** Whether the pid file comes to name `pid` before the deadline (or someone stops waiting). */
async function readiness(file: string, pid: number, timeoutMs: number, waiting: { over: boolean }): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!waiting.over && Date.now() < deadline) {
    if (pidIn(file) === pid) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return pidIn(file) === pid;
}

function pidIn(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
}

function logSince(path: string, offset: number): string {
  try {
    const text = readFileSync(path).subarray(offset).toString();
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
  } catch {
    return '';
  }
}
