import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { RecordData } from '@smeconf/db';
import { ToolError } from '@smeconf/errors';
import { runCommand } from '../run-command.ts';
import type { ControlResult, ServiceManager } from './manager.ts';
import { startDetached } from './start-service.ts';

export interface CommandManagerOptions {
  /** Where pid files go (`<runDir>/<service>.pid`). */
  readonly runDir: string;
  /** Where a started service's output goes (`<logDir>/<service>.log`). */
  readonly logDir: string;
  readonly env: NodeJS.ProcessEnv;
}

const SIGNALS: Readonly<Record<string, NodeJS.Signals>> = { sighup: 'SIGHUP', sigusr1: 'SIGUSR1', sigusr2: 'SIGUSR2', sigterm: 'SIGTERM' };

/**
 * Services run from commands kept on their configuration record, each a
 * JSON array of arguments (never a shell line): `startCommand` (a
 * long-running process, tracked by a pid file), and optionally
 * `stopCommand`, `reloadCommand`, `restartCommand`. Without them, stop sends
 * SIGTERM, reload sends SIGHUP (`reloadSignal` names another), restart is
 * stop then start.
 */
export class CommandManager implements ServiceManager {
  readonly name = 'command';
  readonly #options: CommandManagerOptions;
  /** Services this manager started: a reload right after a start has nothing to do (and could hit it before it handles signals). */
  readonly #started = new Set<string>();

  constructor(options: CommandManagerOptions) {
    this.#options = options;
  }

  /** Commands are the record's own: the service is known by its key (its pid file, its log). */
  unit(service: string): string {
    return service;
  }

  describe(service: string, verb: string, record: RecordData): string {
    const own = this.#own(verb, record);
    return own ? JSON.stringify(own) : `${verb} ${service} (${this.#pid(service) ?? 'not running'})`;
  }

  async control(service: string, verb: string, record: RecordData): Promise<ControlResult> {
    const own = this.#own(verb, record);
    if (own) return this.#run(own);
    switch (verb) {
      case 'start':
        return this.#start(service, record);
      case 'stop':
      case 'down':
        return this.#stop(service);
      case 'restart':
        await this.#stop(service);
        return this.#start(service, record);
      case 'reload':
      case 'adjust':
      case 'graceful':
      case 'reload-or-restart':
        return this.#signal(service, (record.props.get('reloadSignal') as NodeJS.Signals | undefined) ?? 'SIGHUP', record);
      default:
        if (SIGNALS[verb]) return this.#signal(service, SIGNALS[verb], record);
        return { ok: false, output: `unknown verb ${verb} for ${service}\n` };
    }
  }

  /** The record's own command for a verb (reload also covers adjust/graceful). */
  #own(verb: string, record: RecordData): string[] | undefined {
    const prop = ['adjust', 'graceful', 'reload-or-restart'].includes(verb) ? 'reloadCommand' : `${verb}Command`;
    return verb === 'start' ? undefined : commandProp(record, prop);
  }

  async #run(argv: string[]): Promise<ControlResult> {
    const result = await runCommand(argv, this.#options.env);
    return { ok: result.status === 0, output: result.output };
  }

  async #start(service: string, record: RecordData): Promise<ControlResult> {
    if (this.#pid(service) !== undefined) return { ok: true, output: '' };
    const argv = commandProp(record, 'startCommand');
    if (argv === undefined) return { ok: false, output: `${service}: no startCommand on its record\n` };
    mkdirSync(this.#options.runDir, { recursive: true });
    mkdirSync(this.#options.logDir, { recursive: true });
    const started = await startDetached(service, argv, {
      env: this.#options.env,
      logPath: join(this.#options.logDir, `${service}.log`),
      trackIn: this.#pidFile(service),
      readyPidFile: readyPidFile(record),
      timeoutMs: startTimeoutMs(record),
    });
    if (started.pid !== undefined) this.#started.add(service);
    return { ok: started.ok, output: started.output };
  }

  async #stop(service: string): Promise<ControlResult> {
    const pid = this.#pid(service);
    if (pid !== undefined) {
      process.kill(pid, 'SIGTERM');
      if (!(await exited(pid, 10_000))) process.kill(pid, 'SIGKILL');
    }
    rmSync(this.#pidFile(service), { force: true });
    return { ok: true, output: '' };
  }

  #signal(service: string, signal: NodeJS.Signals, record: RecordData): ControlResult | Promise<ControlResult> {
    const pid = this.#pid(service);
    if (pid === undefined) return this.#start(service, record);
    if (this.#started.has(service)) return { ok: true, output: '' };
    process.kill(pid, signal);
    return { ok: true, output: '' };
  }

  #pidFile(service: string): string {
    return join(this.#options.runDir, `${service}.pid`);
  }

  /** The pid of the running service, if its pid file names a live process. */
  #pid(service: string): number | undefined {
    let pid: number;
    try {
      pid = Number(readFileSync(this.#pidFile(service), 'utf8').trim());
    } catch {
      return undefined;
    }
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }
}

function commandProp(record: RecordData, prop: string): string[] | undefined {
  const text = record.props.get(prop);
  if (text === undefined) return undefined;
  let argv: unknown;
  try {
    argv = JSON.parse(text);
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
    throw new ToolError('E_SVC_CONTROL', `the ${prop} prop must be a JSON array of strings (arguments, no shell), got ${JSON.stringify(text)}`);
  }
  return argv;
}

/** The record's `readyPidFile`: the service's own pid file, written once it is ready (an absolute path). */
function readyPidFile(record: RecordData): string | undefined {
  const path = record.props.get('readyPidFile');
  if (path === undefined || path === '') return undefined;
  if (!isAbsolute(path)) throw new ToolError('E_SVC_CONTROL', `the readyPidFile prop must be an absolute path, got ${JSON.stringify(path)}`);
  return path;
}

/** The record's `startTimeout` (seconds, default 30): how long a start waits for the readyPidFile. */
function startTimeoutMs(record: RecordData): number {
  const text = record.props.get('startTimeout') ?? '30';
  if (!/^\d+$/.test(text) || Number(text) === 0) throw new ToolError('E_SVC_CONTROL', `the startTimeout prop must be a number of seconds, got ${JSON.stringify(text)}`);
  return Number(text) * 1000;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 25) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !alive(pid);
}
