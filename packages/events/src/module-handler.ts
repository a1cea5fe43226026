import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ConfigDb } from '@smeconf/db';
import { isToolError } from '@smeconf/errors';
import { locateModuleError } from '@smeconf/templates';
import { ensureDirectory } from './ensure-directory.ts';

/** What a JavaScript handler's function receives. It fails by throwing or returning false or a non-zero number. */
export interface EventContext {
  readonly event: string;
  readonly args: readonly string[];
  readonly root: string;
  /** The event's templates2expand paths (e.g. `/etc/httpd/conf/httpd.conf`), in byte order. */
  readonly templates: readonly string[];
  /** The environment program handlers get: SMECONF_ROOT, the db location, PATH with our bins. */
  readonly env: NodeJS.ProcessEnv;
  log(line: string): void;
  /** A line shown to the admin even when the event succeeds (signal-event is silent then), e.g. `warning: …`. */
  warn(line: string): void;
  db(name: string): ConfigDb;
  initializeDefaultDatabases(): Promise<void>;
  /** Creates an SME directory under the root (mode 0755 unless given), never leading out of it; logs what it created. */
  ensureDirectory(path: string, mode?: number): void;
}

/** What a JavaScript handler needs from the runtime. */
export interface ModuleRuntime {
  readonly root: string;
  readonly openDb: (db: string) => ConfigDb;
  readonly initializeDefaults: (log: (line: string) => void) => Promise<void>;
  readonly handlerEnv: NodeJS.ProcessEnv;
  readonly warn: (line: string) => void;
  readonly debug?: boolean;
}

export interface ModuleOutcome {
  readonly status: 'ok' | 'failed';
  readonly output: string;
}

/**
 * A JavaScript handler: its default export, called with the event context,
 * in this process. A failure ends its output with one line
 * `file:line:col: message [E_CODE]` (a ToolError's own code, else
 * E_EVT_ACTION_FAILED), never a stack unless runtime.debug.
 */
export async function runModule(path: string, event: { name: string; templates: readonly string[] }, args: readonly string[], runtime: ModuleRuntime): Promise<ModuleOutcome> {
  let output = '';
  const log = (line: string) => (output += `${line}\n`);
  let file = path;
  try {
    file = realpathSync(path);
    const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof loaded.default !== 'function') return { status: 'failed', output: `${path}: a JavaScript handler must export a default function [E_EVT_ACTION_FAILED]\n` };
    const status = await (loaded.default as (context: EventContext) => unknown)({
      event: event.name,
      args,
      root: runtime.root,
      templates: event.templates,
      env: runtime.handlerEnv,
      log,
      warn: runtime.warn,
      db: runtime.openDb,
      initializeDefaultDatabases: () => runtime.initializeDefaults(log),
      ensureDirectory: (dir, mode) => {
        for (const created of ensureDirectory(runtime.root, dir, mode)) log(`created ${created}`);
      },
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
