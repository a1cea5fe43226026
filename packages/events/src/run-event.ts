import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigDb, RecordData } from '@smeconf/db';
import { acquireLock } from '@smeconf/db-flatfile';
import { isToolError } from '@smeconf/errors';
import { locateModuleError } from '@smeconf/templates';
import type { Read, TemplateQueue } from '@smeconf/templates';
import { loadEvent } from './discover.ts';
import type { EventDefinition, Handler } from './discover.ts';
import { EventLog } from './event-log.ts';
import { expandStep } from './expand-step.ts';
import type { StepOutcome } from './expand-step.ts';
import type { ManagerRegistry } from './managers/index.ts';
import { runCommand } from './run-command.ts';
import { servicesStep } from './services-step.ts';

/** Everything an event needs from the outside, resolved by the caller (the CLI). */
export interface EventRuntime {
  readonly root: string;
  readonly eventDirs: readonly string[];
  readonly queue: TemplateQueue;
  readonly loadDb: (db: string) => Promise<ReadonlyMap<string, RecordData>>;
  readonly openDb: (db: string) => ConfigDb;
  readonly saveReads: (templatePath: string, reads: readonly Read[]) => Promise<void>;
  readonly initializeDefaults: (log: (line: string) => void) => Promise<void>;
  readonly managers: ManagerRegistry;
  /** The environment of program handlers and checks: SMECONF_ROOT, the db location, PATH with our bins. */
  readonly handlerEnv: NodeJS.ProcessEnv;
  /** Two events serialise on this lock file. */
  readonly lockPath: string;
  /** The structured log (one JSON object a line). */
  readonly logPath: string;
  /** Where compiled fragments are kept between runs. */
  readonly compileCacheDir?: string;
  /** Data every fragment sees besides EVENT and ARGS (e.g. ROOT). */
  readonly templateData?: Readonly<Record<string, unknown>>;
  /** A failing JavaScript handler's output gets the error's stack too (the CLI's SMECONF_DEBUG=1). */
  readonly debug?: boolean;
}

export type HandlerStatus = 'ok' | 'failed' | 'skipped' | 'planned';

export interface HandlerResult {
  readonly name: string;
  readonly status: HandlerStatus;
  readonly ms: number;
  readonly output: string;
}

export type Progress = { readonly type: 'start'; readonly event: string; readonly handler: string } | ({ readonly type: 'end'; readonly event: string } & HandlerResult);

export interface EventResult {
  readonly event: string;
  readonly args: readonly string[];
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly handlers: readonly HandlerResult[];
  readonly ms: number;
}

export interface RunOptions {
  readonly dryRun: boolean;
  readonly onProgress: (progress: Progress) => void;
  /** Warning lines (e.g. the event log cannot be written); the event goes on. */
  readonly warn?: (line: string) => void;
}

/**
 * signal-event: every handler in order, each run even after one fails;
 * the event fails if any did. A dry run runs no handler that could have
 * effects: it plans the expand step (diffs) and the services (verbs).
 */
export async function runEvent(name: string, args: readonly string[], runtime: EventRuntime, options: RunOptions): Promise<EventResult> {
  const event = loadEvent(runtime.eventDirs, name);
  const lock = options.dryRun ? undefined : lockEvents(runtime.lockPath);
  const started = performance.now();
  const handlers: HandlerResult[] = [];
  const log = new EventLog(runtime.logPath, options.warn ?? (() => {}));
  try {
    for (const handler of event.handlers) {
      options.onProgress({ type: 'start', event: name, handler: handler.name });
      const begin = performance.now();
      const outcome = await runHandler(handler, event, args, runtime, options.dryRun, handlers);
      const result: HandlerResult = { name: handler.name, ...outcome, ms: Math.round(performance.now() - begin) };
      handlers.push(result);
      if (!options.dryRun) log.append({ event: name, args, handler: handler.name, status: result.status, ms: result.ms, output: result.output });
      options.onProgress({ type: 'end', event: name, ...result });
    }
  } finally {
    lock?.release();
  }
  const result: EventResult = { event: name, args, ok: handlers.every((h) => h.status !== 'failed'), dryRun: options.dryRun, handlers, ms: Math.round(performance.now() - started) };
  if (!options.dryRun) log.append({ event: name, args, ok: result.ok, ms: result.ms, failed: handlers.filter((h) => h.status === 'failed').map((h) => h.name) });
  return result;
}

async function runHandler(handler: Handler, event: EventDefinition, args: readonly string[], runtime: EventRuntime, dryRun: boolean, before: readonly HandlerResult[]): Promise<Omit<HandlerResult, 'name' | 'ms'>> {
  const fromStep = (outcome: StepOutcome) => ({ status: outcome.ok ? (dryRun ? 'planned' : 'ok') : 'failed', output: outcome.output }) as const;
  switch (handler.kind) {
    case 'skip':
      return { status: 'skipped', output: `Skipping non-executable event handler: ${handler.path}\n` };
    case 'expand': {
      let warnings = '';
      const outcome = await expandStep(event.templates, {
        root: runtime.root,
        queue: runtime.queue,
        loadDb: runtime.loadDb,
        warn: (message) => (warnings += `${message}\n`),
        extraData: { ...runtime.templateData, EVENT: event.name, ARGS: [...args] },
        dryRun,
        env: runtime.handlerEnv,
        saveReads: runtime.saveReads,
        ...(runtime.compileCacheDir !== undefined && { compileCacheDir: runtime.compileCacheDir }),
      });
      return fromStep({ ok: outcome.ok, output: warnings + outcome.output });
    }
    case 'services':
      // after a failed expand step a file in place may fail its CHECK: no service is reloaded onto it (docs/events.md)
      if (before.some((h) => h.status === 'failed' && event.handlers.some((e) => e.kind === 'expand' && e.name === h.name))) {
        return { status: 'skipped', output: 'services not adjusted: the expand step failed\n' };
      }
      return fromStep(await servicesStep(event.name, event.services, { configuration: runtime.openDb('configuration'), managers: runtime.managers, dryRun }));
    case 'program': {
      if (dryRun) return { status: 'planned', output: `would run ${handler.path} ${[event.name, ...args].join(' ')}\n` };
      const result = await runCommand([handler.path, event.name, ...args], runtime.handlerEnv);
      if (result.status === 0) return { status: 'ok', output: result.output };
      return { status: 'failed', output: `${result.output}${handler.path}: exit status ${result.status} [E_EVT_ACTION_FAILED]\n` };
    }
    case 'module':
      if (dryRun) return { status: 'planned', output: `would run ${handler.path} in-process\n` };
      return runModule(handler.path, event.name, args, runtime);
  }
}

/**
 * A JavaScript handler: its default export, called with the event context,
 * in this process. A failure ends its output with one line
 * `file:line:col: message [E_CODE]` (a ToolError's own code, else
 * E_EVT_ACTION_FAILED), never a stack unless runtime.debug.
 */
async function runModule(path: string, event: string, args: readonly string[], runtime: EventRuntime): Promise<Omit<HandlerResult, 'name' | 'ms'>> {
  let output = '';
  const log = (line: string) => (output += `${line}\n`);
  let file = path;
  try {
    file = realpathSync(path);
    const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof loaded.default !== 'function') return { status: 'failed', output: `${path}: a JavaScript handler must export a default function [E_EVT_ACTION_FAILED]\n` };
    const status = await (loaded.default as (context: EventContext) => unknown)({
      event,
      args,
      root: runtime.root,
      log,
      db: runtime.openDb,
      initializeDefaultDatabases: () => runtime.initializeDefaults(log),
    });
    const failed = status === false || (typeof status === 'number' && status !== 0);
    return failed ? { status: 'failed', output: `${output}${path}: returned ${String(status)} [E_EVT_ACTION_FAILED]\n` } : { status: 'ok', output };
  } catch (error) {
    return { status: 'failed', output: output + handlerFailure(error, file, runtime.debug === true) };
  }
}

/** One line naming where a JavaScript handler failed, with the error's code (and its stack when debugging). */
function handlerFailure(error: unknown, file: string, debug: boolean): string {
  const where = locateModuleError(error, file);
  const place = where.line === undefined ? where.path : `${where.path}:${where.line}:${where.column}`;
  const line = `${place}: ${where.message} [${isToolError(error) ? error.code : 'E_EVT_ACTION_FAILED'}]\n`;
  return debug && error instanceof Error ? `${line}${error.stack ?? ''}\n` : line;
}

/** What a JavaScript handler's function receives. It fails by throwing or returning false or a non-zero number. */
export interface EventContext {
  readonly event: string;
  readonly args: readonly string[];
  readonly root: string;
  log(line: string): void;
  db(name: string): ConfigDb;
  initializeDefaultDatabases(): Promise<void>;
}

function lockEvents(lockPath: string): { release(): void } {
  mkdirSync(dirname(lockPath), { recursive: true });
  return acquireLock(lockPath, 3600);
}

