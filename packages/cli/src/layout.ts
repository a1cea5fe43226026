import { statSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { DbError, ToolError } from '@smeconf/errors';
// the queue module alone: the db/config bundle must not load the template engine
import { defaultQueue } from '@smeconf/templates/queue';
import type { TemplateQueue } from '@smeconf/templates/queue';

export type BackendName = 'sqlite' | 'flatfile' | 'etcd';

/** SMECONF_BACKEND=etcd: where the cluster is (docs/fleet.md). */
export interface EtcdSettings {
  /** SMECONF_ETCD_ENDPOINTS, comma-separated client URLs (default http://127.0.0.1:2379). */
  readonly endpoints: readonly string[];
  /** SMECONF_ETCD_PREFIX (default /smeconf). */
  readonly prefix: string;
  /** SMECONF_ETCD_CA, SMECONF_ETCD_CERT, SMECONF_ETCD_KEY: PEM files for https endpoints. */
  readonly caFile: string | undefined;
  readonly certFile: string | undefined;
  readonly keyFile: string | undefined;
  /** SMECONF_ETCD_TIMEOUT_MS: one attempt on one member (default 2000; a call gets 3 times that). */
  readonly attemptTimeoutMs: number | undefined;
}

/** SMECONF_LAYERS and SMECONF_HOST as given (packages/cli/src/layers.ts parses them; docs/fleet.md). */
export interface LayerSettingsText {
  /** The layers, lowest first, comma-separated: `fleet,group:web,host`. */
  readonly list: string;
  /** The host layer's name in a shared store: SMECONF_HOST, else the host name. */
  readonly hostName: string;
}

/**
 * What every fragment sees besides the records: ROOT (the root prefix for
 * SME paths written into files: '' for /) and BINDIR (where smeconf's bins
 * are, for generated scripts that call `db` or `signal-event`), and BACKEND
 * (SMECONF_BACKEND, for those scripts: the cron job, the dehydrated hook).
 */
export function templateData(layout: Layout, stockDir: string): Record<string, string> {
  return { ROOT: layout.root === '/' ? '' : layout.root.replace(/\/+$/, ''), BINDIR: join(stockDir, 'node_modules/.bin'), BACKEND: layout.backend };
}

/** Every path the tools use, resolved once from the environment and options. */
export interface Layout {
  /** SMECONF_ROOT: prefix of every absolute SME path (default `/`). */
  readonly root: string;
  /** `<root>/home/e-smith/db`: flat files, and the SQLite store. */
  readonly dbDir: string;
  /** `<root>/home/e-smith`: SME's pre-7.0 location of flat files. */
  readonly legacyDbDir: string;
  readonly sqliteFile: string;
  /** Where a checkout and an install (docs/install.md) both have better-sqlite3's addon. */
  readonly sqliteAddon: string;
  readonly backend: BackendName;
  readonly etcd: EtcdSettings;
  /** The server's layers; undefined: one store, no layers. */
  readonly layers: LayerSettingsText | undefined;
  /** DBPATH: when set, database names become `<DBPATH>/<name>`. */
  readonly dbPath: string | undefined;
  /** Defaults/force trees, highest priority first. */
  readonly defaultsDirs: readonly string[];
  /** Compiled template fragments kept between runs. */
  readonly compileCacheDir: string;
  /** Fragments, metadata and banners: the root's layers, then the stock trees. */
  readonly queue: TemplateQueue;
  /** `<root>/etc/e-smith/events`, then the stock events/ tree. */
  readonly eventDirs: readonly string[];
  /** One event at a time (signal-event, smeconf watch --event). */
  readonly eventLockPath: string;
  /** One JSON line per event run. */
  readonly eventLogPath: string;
  /** Pid files of the services smeconf starts itself (the command manager). */
  readonly serviceRunDir: string;
  /** Their output. */
  readonly serviceLogDir: string;
}

export const SQLITE_FILE_NAME = 'smeconf.sqlite';

export interface LayoutInputs {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** --root, which wins over SMECONF_ROOT. */
  readonly root?: string | undefined;
  /** The smeconf checkout or install: its stock db/ tree. */
  readonly stockDir: string;
}

export function resolveLayout(inputs: LayoutInputs): Layout {
  const root = rootOf(inputs);
  const backend = inputs.env['SMECONF_BACKEND'] || 'sqlite';
  if (backend !== 'sqlite' && backend !== 'flatfile' && backend !== 'etcd') {
    throw new DbError('E_DB_BACKEND_UNKNOWN', `unknown SMECONF_BACKEND ${JSON.stringify(backend)} (sqlite, flatfile or etcd)`);
  }
  const dbDir = join(root, 'home/e-smith/db');
  return {
    root,
    dbDir,
    legacyDbDir: join(root, 'home/e-smith'),
    sqliteFile: join(dbDir, SQLITE_FILE_NAME),
    sqliteAddon: join(inputs.stockDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    backend,
    // read only for etcd: a stray SMECONF_ETCD_* value stops no other backend
    etcd: etcdSettings(backend === 'etcd' ? inputs.env : {}),
    layers: inputs.env['SMECONF_LAYERS'] ? { list: inputs.env['SMECONF_LAYERS'], hostName: inputs.env['SMECONF_HOST'] || hostname() } : undefined,
    dbPath: inputs.env['DBPATH'] || undefined,
    defaultsDirs: [join(root, 'etc/e-smith/db'), join(inputs.stockDir, 'db')],
    compileCacheDir: join(root, 'var/cache/smeconf/fragments'),
    queue: defaultQueue(root, inputs.stockDir),
    eventDirs: [join(root, 'etc/e-smith/events'), join(inputs.stockDir, 'events')],
    eventLockPath: join(root, 'var/lock/smeconf/signal-event.lock'),
    eventLogPath: join(root, 'var/log/smeconf/events.log'),
    serviceRunDir: join(root, 'var/run/smeconf'),
    serviceLogDir: join(root, 'var/log/smeconf/services'),
  };
}

function etcdSettings(env: LayoutInputs['env']): EtcdSettings {
  const timeout = env['SMECONF_ETCD_TIMEOUT_MS'];
  const attemptTimeoutMs = timeout ? Number(timeout) : undefined;
  if (attemptTimeoutMs !== undefined && !(Number.isInteger(attemptTimeoutMs) && attemptTimeoutMs > 0)) {
    throw new ToolError('E_USAGE', `SMECONF_ETCD_TIMEOUT_MS must be a number of milliseconds, not ${JSON.stringify(timeout)}`);
  }
  return {
    endpoints: (env['SMECONF_ETCD_ENDPOINTS'] || 'http://127.0.0.1:2379').split(',').map((endpoint) => endpoint.trim()).filter((endpoint) => endpoint !== ''),
    prefix: env['SMECONF_ETCD_PREFIX'] || '/smeconf',
    caFile: env['SMECONF_ETCD_CA'] || undefined,
    certFile: env['SMECONF_ETCD_CERT'] || undefined,
    keyFile: env['SMECONF_ETCD_KEY'] || undefined,
    attemptTimeoutMs,
  };
}

/** The root of every SME path: --root, else SMECONF_ROOT, else `/`. */
export function rootOf(inputs: Pick<LayoutInputs, 'env' | 'root'>): string {
  return inputs.root ?? (inputs.env['SMECONF_ROOT'] || '/');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (error) {
    // missing, or a file on the way; one we may not search is left to the open that follows (E_DB_IO)
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

/**
 * A mistyped SMECONF_ROOT or --root is one coded line, never an empty
 * database or a tree created in the wrong place: the root must be a
 * directory, and with `dbDir` (db, config) its home/e-smith/db too (SME's
 * rule: the directory must exist, a database file need not; a missing
 * database in it reads as empty). One stat when all is well.
 */
export function requireRoot(root: string, dbDir?: string): void {
  if (dbDir !== undefined && isDirectory(dbDir)) return;
  if (!isDirectory(root)) throw new ToolError('E_ROOT_MISSING', `no SME root at ${root}: no such directory (check SMECONF_ROOT or --root)`);
  if (dbDir !== undefined) {
    throw new ToolError('E_ROOT_MISSING', `no SME root at ${root}: it has no home/e-smith/db (check SMECONF_ROOT or --root; mkdir -p ${dbDir} starts a new one)`);
  }
}
