import { join } from 'node:path';
import { DbError } from '@smeconf/errors';

export type BackendName = 'sqlite' | 'flatfile';

/**
 * What every fragment sees besides the records: ROOT (the root prefix for
 * SME paths written into files: '' for /) and BINDIR (where smeconf's bins
 * are, for generated scripts that call `db` or `signal-event`).
 */
export function templateData(layout: Layout, stockDir: string): Record<string, string> {
  return { ROOT: layout.root === '/' ? '' : layout.root.replace(/\/+$/, ''), BINDIR: join(stockDir, 'node_modules/.bin') };
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
  readonly backend: BackendName;
  /** DBPATH: when set, database names become `<DBPATH>/<name>`. */
  readonly dbPath: string | undefined;
  /** Defaults/force trees, highest priority first. */
  readonly defaultsDirs: readonly string[];
  /** Compiled template fragments kept between runs. */
  readonly compileCacheDir: string;
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
  const root = inputs.root ?? (inputs.env['SMECONF_ROOT'] || '/');
  const backend = inputs.env['SMECONF_BACKEND'] || 'sqlite';
  if (backend !== 'sqlite' && backend !== 'flatfile') {
    throw new DbError('E_DB_BACKEND_UNKNOWN', `unknown SMECONF_BACKEND ${JSON.stringify(backend)} (sqlite or flatfile)`);
  }
  const dbDir = join(root, 'home/e-smith/db');
  return {
    root,
    dbDir,
    legacyDbDir: join(root, 'home/e-smith'),
    sqliteFile: join(dbDir, SQLITE_FILE_NAME),
    backend,
    dbPath: inputs.env['DBPATH'] || undefined,
    defaultsDirs: [join(root, 'etc/e-smith/db'), join(inputs.stockDir, 'db')],
    compileCacheDir: join(root, 'var/cache/smeconf/fragments'),
  };
}
