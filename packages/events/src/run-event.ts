import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ConfigDb, RecordData } from '@smeconf/db';
import { acquireLock } from '@smeconf/files';
import type { ReadsRecord, TemplateQueue } from '@smeconf/templates';
import { loadEvent } from './discover.ts';
import type { EventDefinition, Handler } from './discover.ts';
import { EventLog } from './event-log.ts';
import { expandStep } from './expand-step.ts';
import type { StepOutcome } from './expand-step.ts';
import type { ManagerRegistry } from './managers/index.ts';
import { runModule } from './module-handler.ts';
import { runCommand } from './run-command.ts';
import { servicesStep } from './services-step.ts';

/**
 * Everything an event needs from the outside, resolved by the caller (the
 * CLI); its ReadsRecord says what a target read when last expanded (one
 * render pass) and keeps the new reads.
 */
export interface EventRuntime extends ReadsRecord {
  readonly root: string;
  readonly eventDirs: readonly string[];
  readonly queue: TemplateQueue;
  readonly loadDb: (db: string) => Promise<ReadonlyMap<string, RecordData>>;
  readonly openDb: (db: string) => ConfigDb;
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
  readonly handler: string;
  readonly status: HandlerStatus;
  readonly ms: number;
  readonly output: string;
  /** One line saying what the handler did, where that is not obvious (the service step: `apache2: start, graceful (systemd)`). */
  readonly note?: string;
}

/** NDJSON progress: a `start` and an `end` object per handler, both naming it `handler`. */
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
  const warn = options.warn ?? (() => {});
  const log = new EventLog(runtime.logPath, warn);
  let expandFailed = false;
  try {
    for (const handler of event.handlers) {
      options.onProgress({ type: 'start', event: name, handler: handler.name });
      const begin = performance.now();
      const outcome = await runHandler(handler, event, args, runtime, { dryRun: options.dryRun, expandFailed, warn });
      const result: HandlerResult = { handler: handler.name, ...outcome, ms: Math.round(performance.now() - begin) };
      handlers.push(result);
      expandFailed ||= handler.kind === 'expand' && result.status === 'failed';
      if (!options.dryRun) log.append({ event: name, args, handler: handler.name, status: result.status, ms: result.ms, output: result.output, ...(result.note !== undefined && { note: result.note }) });
      options.onProgress({ type: 'end', event: name, ...result });
    }
  } finally {
    lock?.release();
  }
  const result: EventResult = { event: name, args, ok: handlers.every((h) => h.status !== 'failed'), dryRun: options.dryRun, handlers, ms: Math.round(performance.now() - started) };
  if (!options.dryRun) log.append({ event: name, args, ok: result.ok, ms: result.ms, failed: handlers.filter((h) => h.status === 'failed').map((h) => h.handler) });
  return result;
}

/** What a handler's run depends on besides the runtime: a dry run, whether the expand step failed, where warnings go. */
interface HandlerRun {
  readonly dryRun: boolean;
  readonly expandFailed: boolean;
  readonly warn: (line: string) => void;
}

async function runHandler(handler: Handler, event: EventDefinition, args: readonly string[], runtime: EventRuntime, run: HandlerRun): Promise<Omit<HandlerResult, 'handler' | 'ms'>> {
  const { dryRun } = run;
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
        recordedReads: runtime.recordedReads,
        saveReads: runtime.saveReads,
        ...(runtime.compileCacheDir !== undefined && { compileCacheDir: runtime.compileCacheDir }),
      });
      return fromStep({ ok: outcome.ok, output: warnings + outcome.output });
    }
    case 'services': {
      // after a failed expand step a file in place may fail its CHECK: no service is reloaded onto it (docs/events.md)
      if (run.expandFailed) {
        return { status: 'skipped', output: 'services not adjusted: the expand step failed\n' };
      }
      const services = await servicesStep(event.name, event.services, { configuration: runtime.openDb('configuration'), managers: runtime.managers, dryRun });
      return { ...fromStep(services), note: services.note };
    }
    case 'program': {
      if (dryRun) return { status: 'planned', output: `would run ${handler.path} ${[event.name, ...args].join(' ')}\n` };
      const result = await runCommand([handler.path, event.name, ...args], runtime.handlerEnv);
      if (result.status === 0) return { status: 'ok', output: result.output };
      return { status: 'failed', output: `${result.output}${handler.path}: exit status ${result.status} [E_EVT_ACTION_FAILED]\n` };
    }
    case 'module':
      if (dryRun) return { status: 'planned', output: `would run ${handler.path} in-process\n` };
      return runModule(handler.path, event, args, { ...runtime, warn: run.warn });
  }
}

function lockEvents(lockPath: string): { release(): void } {
  mkdirSync(dirname(lockPath), { recursive: true });
  return acquireLock(lockPath, 3600);
}

