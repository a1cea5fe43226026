import { existsSync } from 'node:fs';
import { ConfigDb, initializeDefaultDatabases } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { MANAGER_NAMES, ManagerRegistry, ensureDirectory } from '@smeconf/events';
import type { EventRuntime, ManagerName } from '@smeconf/events';
import { UsageError } from '@smeconf/errors';
import { backendLoader, readsRecord } from '@smeconf/templates';
import { commandEnv } from '../command-env.ts';
import type { Env } from '../io.ts';
import type { Layout } from '../layout.ts';
import { templateData } from '../layout.ts';

/** Where layout.dbDir is, as an SME path. */
const DB_DIR = '/home/e-smith/db';

/**
 * Everything the events library needs, from the layout and the
 * environment: the event queue, the template queue, databases on one
 * backend, service managers, and the environment handlers run with (so
 * that a handler calling `db` or `expand-template` works in the same root).
 * The one runtime of signal-event and of `smeconf watch --event`.
 */
export function eventRuntime(layout: Layout, env: Env, stockDir: string, backend: Backend): EventRuntime {
  const handlerEnv = commandEnv(layout, env, stockDir);
  return {
    root: layout.root,
    eventDirs: layout.eventDirs,
    queue: layout.queue,
    // one connection for the whole event (names with `/` or DBPATH do not apply to template data)
    loadDb: backendLoader(backend),
    openDb: (name) => new ConfigDb(backend, name),
    ...readsRecord(backend),
    initializeDefaults: (log) => {
      // a fresh root: the database directory, as SME's package ships it
      for (const created of ensureDirectory(layout.root, DB_DIR)) log(`created ${created}`);
      return initializeDefaultDatabases({ dirs: layout.defaultsDirs, open: (name) => new ConfigDb(backend, name), log });
    },
    managers: new ManagerRegistry(defaultManager(env), {
      runDir: layout.serviceRunDir,
      logDir: layout.serviceLogDir,
      env: handlerEnv,
    }),
    handlerEnv,
    lockPath: layout.eventLockPath,
    logPath: layout.eventLogPath,
    compileCacheDir: layout.compileCacheDir,
    templateData: templateData(layout, stockDir),
    debug: env['SMECONF_DEBUG'] === '1',
  };
}

/** SMECONF_SERVICE_MANAGER, else systemd where it runs, else SysV. */
function defaultManager(env: Env): ManagerName {
  const named = env['SMECONF_SERVICE_MANAGER'];
  if (named !== undefined && named !== '') {
    if (!(MANAGER_NAMES as readonly string[]).includes(named)) {
      throw new UsageError(`unknown SMECONF_SERVICE_MANAGER ${JSON.stringify(named)} (${MANAGER_NAMES.join(', ')})`);
    }
    return named as ManagerName;
  }
  return existsSync('/run/systemd/system') ? 'systemd' : 'sysv';
}
