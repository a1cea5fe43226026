import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigDb, checkDbName } from '@smeconf/db';
import type { Backend } from '@smeconf/db';
import { ToolError, UsageError } from '@smeconf/errors';
import { LayeredBackend, groupOf, parseLayerList } from '@smeconf/layers';
import type { LayerName } from '@smeconf/layers';
import type { Layout } from './layout.ts';
import { openDatabase, openEtcdStoreAt, openStore } from './open-db.ts';

/** A server's layers (docs/fleet.md, Layers): SMECONF_LAYERS parsed, lowest first, and SMECONF_HOST. */
export interface LayerSettings {
  readonly names: readonly LayerName[];
  /** The host layer's name in a shared store (etcd): SMECONF_HOST, else the host name. */
  readonly hostName: string;
}

/** The layout's layers, parsed (E_LAYER_INVALID for a bad list), or undefined when the server has none. */
export function layerSettings(layout: Layout): LayerSettings | undefined {
  return layout.layers === undefined ? undefined : { names: parseLayerList(layout.layers.list), hostName: layout.layers.hostName };
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
    return openEtcdStoreAt(layout, layerPath(name, settings.hostName), warn);
  }
  if (name === 'host') return openStore(layout, warn);
  const dir = join(layout.dbDir, 'layers');
  if (forWrite) mkdirSync(dir, { recursive: true, mode: 0o750 });
  const file = name.replace(':', '-');
  if (layout.backend === 'flatfile') {
    const flatDir = join(dir, file);
    if (forWrite) mkdirSync(flatDir, { recursive: true, mode: 0o750 });
    return openStore({ ...layout, dbDir: flatDir, legacyDbDir: flatDir }, warn);
  }
  return openStore({ ...layout, sqliteFile: join(dir, `${file}.sqlite`) }, warn);
}

/** Every layer's store, lowest first (`forWrite`: the one that will be written, its store made if missing). */
export async function openLayers(layout: Layout, settings: LayerSettings, warn: (line: string) => void, forWrite?: string): Promise<{ name: LayerName; backend: Backend }[]> {
  const layers: { name: LayerName; backend: Backend }[] = [];
  for (const layer of settings.names) layers.push({ name: layer, backend: await openLayerBackend(layout, settings, layer, layer === forWrite, warn) });
  return layers;
}

/**
 * The merged view of the server's layers, written to `writeLayer` (default
 * the host layer): what every command opens when the server has layers.
 */
export async function openLayeredBackend(layout: Layout, warn: (line: string) => void, writeLayer = 'host'): Promise<Backend> {
  const settings = layerSettings(layout);
  if (settings === undefined) throw new UsageError(`--layer ${writeLayer}: this server has no layers (SMECONF_LAYERS is not set)`);
  if (!settings.names.includes(writeLayer as LayerName)) {
    throw new ToolError('E_LAYER_INVALID', `no layer ${writeLayer} on this server (SMECONF_LAYERS: ${settings.names.join(',')})`);
  }
  return new LayeredBackend({ layers: await openLayers(layout, settings, warn, writeLayer), writeLayer });
}

/**
 * What `db`/`config` open when the server has layers or --layer is given:
 * the merged view of a plain database name, written to --layer (default
 * the host); a legacy flat-file path (a `/` in the name, or DBPATH) is one
 * file, with no --layer (a usage error naming why, as --layer without layers).
 */
export async function openServerDatabase(layout: Layout, layer: string | undefined, name: string, warn: (line: string) => void): Promise<ConfigDb> {
  const legacyPath = layout.dbPath !== undefined || name.includes('/');
  if (layer !== undefined && layout.layers === undefined) throw new UsageError(`--layer ${layer}: this server has no layers (SMECONF_LAYERS is not set)`);
  if (layer !== undefined && legacyPath) throw new UsageError(`--layer ${layer}: a legacy flat-file path (a "/" in the name, or DBPATH) has no layers`);
  if (legacyPath) return openDatabase(layout, name, warn);
  checkDbName(name);
  return new ConfigDb(await openLayeredBackend(layout, warn, layer), name);
}
