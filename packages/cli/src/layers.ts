import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigDb, checkDbName } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { ToolError, UsageError } from '@smeconf/errors';
import { LayeredBackend, groupOf, parseLayerList } from '@smeconf/layers';
import type { LayerName } from '@smeconf/layers';
import type { Env } from './io.ts';
import type { Layout } from './layout.ts';
import { openBackend, openDatabase } from './open-db.ts';

/** A server's layers (docs/fleet.md, Layers): SMECONF_LAYERS, lowest first, and SMECONF_HOST. */
export interface LayerSettings {
  readonly names: readonly LayerName[];
  /** The host layer's name in a shared store (etcd): SMECONF_HOST, else the host name. */
  readonly hostName: string;
}

/** The layers from the environment, or undefined when SMECONF_LAYERS is not set (no layers: one store). */
export function layerSettings(env: Env): LayerSettings | undefined {
  const list = env['SMECONF_LAYERS'];
  if (!list) return undefined;
  return { names: parseLayerList(list), hostName: env['SMECONF_HOST'] || hostname() };
}

/** Where a layer lives in a shared store, under its prefix: `fleet`, `group/web`, `host/<name>`. */
export function layerPath(name: LayerName, hostName: string): string {
  const group = groupOf(name);
  return group !== undefined ? `group/${group}` : name === 'host' ? `host/${hostName}` : name;
}

/**
 * The one place a layer's store is opened. With the local backends the
 * host layer is the store the server always had (smeconf.sqlite, the flat
 * files) and each lower layer a store of its own under
 * `<dbdir>/layers/`: `fleet.sqlite`, `group-web.sqlite` (flat files: a
 * directory `fleet/`, `group-web/`). On etcd a layer is a key prefix
 * (`<prefix>/fleet/…`, `<prefix>/group/web/…`, `<prefix>/host/<name>/…`).
 * The layers directory is made only for a write to a lower layer.
 */
export async function openLayerBackend(layout: Layout, settings: LayerSettings, name: LayerName, forWrite: boolean, warn: (line: string) => void): Promise<Backend> {
  if (layout.backend === 'etcd') {
    return openBackend({ ...layout, etcd: { ...layout.etcd, prefix: `${layout.etcd.prefix}/${layerPath(name, settings.hostName)}` } }, warn);
  }
  if (name === 'host') return openBackend(layout, warn);
  const dir = join(layout.dbDir, 'layers');
  if (forWrite) mkdirSync(dir, { recursive: true, mode: 0o750 });
  const file = name.replace(':', '-');
  if (layout.backend === 'flatfile') {
    const flatDir = join(dir, file);
    if (forWrite) mkdirSync(flatDir, { recursive: true, mode: 0o750 });
    return openBackend({ ...layout, dbDir: flatDir, legacyDbDir: flatDir }, warn);
  }
  return openBackend({ ...layout, sqliteFile: join(dir, `${file}.sqlite`) }, warn);
}

/**
 * A database of the merged view, written to `writeLayer` (default the host
 * layer). Only plain database names have layers: a legacy flat-file path
 * (a `/` in the name, or DBPATH) is one file, with no --layer.
 */
export async function openLayeredDatabase(
  layout: Layout,
  settings: LayerSettings,
  writeLayer: string | undefined,
  name: string,
  warn: (line: string) => void,
): Promise<ConfigDb> {
  const write = writeLayer ?? 'host';
  if (!settings.names.includes(write as LayerName)) {
    throw new ToolError('E_LAYER_INVALID', `no layer ${write} on this server (SMECONF_LAYERS: ${settings.names.join(',')})`);
  }
  checkDbName(name);
  const layers: { name: string; backend: Backend }[] = [];
  for (const layer of settings.names) {
    layers.push({ name: layer, backend: await openLayerBackend(layout, settings, layer, layer === write, warn) });
  }
  return new ConfigDb(new LayeredBackend({ layers, writeLayer: write }), name);
}

/**
 * What `db`/`config` open when SMECONF_LAYERS or --layer is given: the
 * merged view of a plain database name; a legacy flat-file path as always.
 * --layer without layers, or with a legacy path, is a usage error naming why.
 */
export async function openServerDatabase(layout: Layout, env: Env, layer: string | undefined, name: string, warn: (line: string) => void): Promise<ConfigDb> {
  const settings = layerSettings(env);
  const legacyPath = layout.dbPath !== undefined || name.includes('/');
  if (layer !== undefined && settings === undefined) throw new UsageError(`--layer ${layer}: this server has no layers (SMECONF_LAYERS is not set)`);
  if (layer !== undefined && legacyPath) throw new UsageError(`--layer ${layer}: a legacy flat-file path (a "/" in the name, or DBPATH) has no layers`);
  if (settings === undefined || legacyPath) return openDatabase(layout, name, warn);
  return openLayeredDatabase(layout, settings, layer, name, warn);
}
