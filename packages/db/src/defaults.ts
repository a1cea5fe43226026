import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sortBytes } from './byte-order.ts';
import type { ConfigDb } from './config-db.ts';
import type { Op } from './ops.ts';
import { ensurePrimaryDomain } from './primary-domain.ts';

/** Props for one database from its `defaults/` and `force/` trees. */
export interface DbDefaults {
  /** key → prop → value; the prop `type` is the record's type. */
  readonly defaults: Map<string, Map<string, string>>;
  readonly force: Map<string, Map<string, string>>;
}

const DB_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads `<dir>/<db>/{defaults,force}/<key>/<prop>` (docs/compatibility.md, db/README.md)
 * from a queue of directories, highest priority first: a prop file in an
 * earlier directory wins over the same one in a later directory.
 */
export function readDefaultsTrees(dirs: readonly string[], warn: (line: string) => void): Map<string, DbDefaults> {
  const dbs = new Map<string, DbDefaults>();
  for (const dir of [...dirs].reverse()) {
    for (const name of listDir(dir)) {
      if (!isDirectory(join(dir, name))) continue;
      if (!DB_NAME.test(name)) {
        warn(`Not processing unexpected file ${name}`);
        continue;
      }
      const db = dbs.get(name) ?? { defaults: new Map(), force: new Map() };
      readKind(join(dir, name, 'defaults'), db.defaults, warn);
      readKind(join(dir, name, 'force'), db.force, warn);
      dbs.set(name, db);
    }
  }
  return dbs;
}

function readKind(dir: string, into: Map<string, Map<string, string>>, warn: (line: string) => void): void {
  for (const key of listDir(dir)) {
    const keyDir = join(dir, key);
    if (!isDirectory(keyDir)) {
      warn(`Found non-directory ${key} in ${dir}`);
      continue;
    }
    const props = into.get(key) ?? new Map<string, string>();
    for (const prop of listDir(keyDir)) {
      props.set(prop, readFileSync(join(keyDir, prop), 'utf8').replace(/\n$/, ''));
    }
    into.set(key, props);
  }
}

function listDir(dir: string): string[] {
  try {
    return sortBytes(readdirSync(dir).filter((name) => !name.startsWith('.')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * The ops that apply one database's defaults (only props a record lacks;
 * a new record gets its type from `type`) and force values (always).
 */
export function defaultsOps(db: DbDefaults): Op[] {
  const ops: Op[] = [];
  for (const key of sortBytes(new Set([...db.defaults.keys(), ...db.force.keys()]))) {
    const defaults = new Map(db.defaults.get(key));
    const force = new Map(db.force.get(key));
    const type = force.get('type') ?? defaults.get('type') ?? '';
    defaults.delete('type');
    const forcedType = force.get('type');
    force.delete('type');
    ops.push({ op: 'fill', key, record: { type, props: new Map([...defaults, ...force]) } });
    if (force.size > 0) ops.push({ op: 'setProps', key, props: force });
    if (forcedType !== undefined) ops.push({ op: 'setType', key, type: forcedType });
  }
  return ops;
}

export interface InitializeOptions {
  /** Defaults directories, highest priority first (like templates-custom, templates). */
  readonly dirs: readonly string[];
  readonly open: (db: string) => ConfigDb;
  /** Progress and warnings, one line each (SME prints them on stderr). */
  readonly log: (line: string) => void;
}

/**
 * SME's initialize-default-databases: each database's defaults and force in
 * one batch, then the primary domain's record and standard hosts from
 * DomainName (what SME's domains migrate fragment does).
 */
export async function initializeDefaultDatabases(options: InitializeOptions): Promise<void> {
  for (const [name, defaults] of readDefaultsTrees(options.dirs, options.log)) {
    const db = options.open(name);
    const exists = (await db.list()).length > 0;
    options.log(exists ? `Migrating existing database ${name}` : `Creating database ${name} and setting defaults`);
    await db.batch(defaultsOps(defaults));
  }
  await ensurePrimaryDomain(options);
}
