import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigDb, checkDbName, checkDbPath } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import type { EtcdBackend } from '@smeconf/db-etcd';
import type { Layout } from './layout.ts';

/**
 * Opens a named database the way SME's `db` names it: DBPATH prefixes the
 * name; a name containing `/` is always a legacy flat file (a relative one
 * under the db directory); any other name must be a plain name
 * (E_DB_NAME_INVALID) and lives in the configured backend. Neither may name
 * one of our own files (the SQLite store, lock files: db-name.ts).
 */
export async function openDatabase(layout: Layout, name: string, warn: (line: string) => void): Promise<ConfigDb> {
  const full = layout.dbPath === undefined ? name : `${layout.dbPath}/${name}`;
  if (full.includes('/')) {
    const path = full.startsWith('/') ? full : join(layout.dbDir, full);
    checkDbPath(path, name);
    const { FlatFileBackend } = await import('@smeconf/db-flatfile');
    return new ConfigDb(new FlatFileBackend({ dir: layout.dbDir }), path);
  }
  checkDbName(full);
  return new ConfigDb(await openBackend(layout, warn), full);
}

/**
 * The backend every command reads and writes: the server's merged view
 * when it has layers (SMECONF_LAYERS, docs/fleet.md; written to the host
 * layer), else its one store.
 */
export async function openBackend(layout: Layout, warn: (line: string) => void): Promise<Backend> {
  if (layout.layers !== undefined) return (await import('./layers.ts')).openLayeredBackend(layout, warn);
  return openStore(layout, warn);
}

/** The etcd store at `<SMECONF_ETCD_PREFIX>/<path>`: a layer (`fleet`, `group/web`, `host/<name>`) or the rollout. */
export async function openEtcdStoreAt(layout: Layout, path: string, warn: (line: string) => void): Promise<EtcdBackend> {
  return (await openStore({ ...layout, backend: 'etcd', etcd: { ...layout.etcd, prefix: `${layout.etcd.prefix}/${path}` } }, warn)) as EtcdBackend;
}

/**
 * The configured store, loaded lazily by name (the flat-file one loads
 * node:crypto, a few ms a sqlite `db getprop` need not pay). `warn` gets
 * SME's own warning lines as they are, and ours starting with `warning: `.
 */
export async function openStore(layout: Layout, warn: (line: string) => void): Promise<Backend> {
  if (layout.backend === 'flatfile') {
    const { FlatFileBackend } = await import('@smeconf/db-flatfile');
    return new FlatFileBackend({ dir: layout.dbDir, legacyDir: layout.legacyDbDir, warn });
  }
  if (layout.backend === 'etcd') {
    const { EtcdBackend } = await import('@smeconf/db-etcd');
    const { caFile, certFile, keyFile, ...settings } = layout.etcd;
    return new EtcdBackend({ ...settings, tls: { caFile, certFile, keyFile } });
  }
  const { SqliteBackend } = await import('@smeconf/db-sqlite');
  // the addon by its known path (one access): resolving it costs a `db getprop` ~0.8 ms
  const nativeBinding = existsSync(layout.sqliteAddon) ? layout.sqliteAddon : undefined;
  return new SqliteBackend({ file: layout.sqliteFile, warn: (line) => warn(`warning: ${line}`), nativeBinding });
}
