import { ToolError } from '@smeconf/errors';
import { runEvent } from '@smeconf/events';
import type { EventRuntime, Progress } from '@smeconf/events';
import type { Backend } from '@smeconf/db';
import type { Env, Io } from '../io.ts';
import type { Layout } from '../layout.ts';
import { ExitCodes } from '../exit-codes.ts';
import { reportError } from '../report-error.ts';
import { textReport } from './output.ts';
import { eventRuntime } from './runtime.ts';

export interface SignalOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
  /** stderr is a terminal: progress as handlers end (otherwise only a failure is reported). */
  readonly live: boolean;
}

/**
 * One event through the events library, reported as signal-event reports it
 * (text or JSON lines; a failure ends with its E_EVT_ACTION_FAILED line).
 * Returns the exit status.
 */
export async function signal(event: string, args: readonly string[], runtime: EventRuntime, backend: Backend, io: Io, options: SignalOptions): Promise<number> {
  const text = textReport(io, { dryRun: options.dryRun, live: options.live });
  const onProgress = options.json ? (p: Progress) => io.out(JSON.stringify(p) + '\n') : text.onProgress;
  const warn = (line: string) => io.err(`signal-event: ${line}\n`);
  // a damaged database stops the event before any handler runs (E_DB_CORRUPT)
  await backend.check?.();
  const result = await runEvent(event, args, runtime, { dryRun: options.dryRun, onProgress, warn });
  if (options.json) io.out(JSON.stringify({ type: 'result', ...result }) + '\n');
  else text.finish(result);
  if (result.ok) return ExitCodes.OK;
  // each failed handler's output, ending `where: message [E_CODE]`, came before
  const failed = result.handlers.filter((h) => h.status === 'failed').map((h) => h.handler);
  return reportError('signal-event', new ToolError('E_EVT_ACTION_FAILED', `event ${result.event} failed: ${failed.join(', ')}`), io);
}

/**
 * `smeconf watch --event E`: the event run in process on the watcher's
 * backend, with signal-event's runtime; its report (nothing when it
 * succeeds, as signal-event off a terminal) as text.
 */
export async function signalForWatch(event: string, layout: Layout, env: Env, stockDir: string, backend: Backend, debug?: boolean): Promise<string> {
  let output = '';
  const io: Io = { out: (text) => (output += text), err: (text) => (output += text), ...(debug !== undefined && { debug }) };
  try {
    await signal(event, [], eventRuntime(layout, env, stockDir, backend), backend, io, { dryRun: false, json: false, live: false });
  } catch (error) {
    reportError('signal-event', error, io);
  }
  return output;
}
