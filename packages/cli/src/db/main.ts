import { UsageError, isToolError } from '@smeconf/errors';
import type { Env, Io } from '../io.ts';
import { requireRoot, resolveLayout } from '../layout.ts';
import { openDatabase } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { ExitCodes } from '../exit-codes.ts';
import { versionLine } from '../version.ts';
import { parseCommandLine } from './command-line.ts';
import { generalUsage, help, isVerb, usagePrefix, verbUsage } from './usage.ts';
import { VERBS } from './verbs.ts';

export interface DbMainOptions {
  readonly env: Env;
  readonly stockDir: string;
  /** `config` is `db configuration`. */
  readonly fixedDb?: string;
  /** Default: `config` with fixedDb, else `db`. */
  readonly program?: string;
}

/**
 * `db [--root DIR] [--json] [--layer L] DBNAME VERB ARGS…`. Arguments are parsed by
 * hand, as SME's `db` does, so that the hot path loads nothing heavy.
 */
export async function dbMain(argv: readonly string[], io: Io, options: DbMainOptions): Promise<number> {
  const program = options.program ?? (options.fixedDb === undefined ? 'db' : 'config');
  const prefix = usagePrefix(program, options.fixedDb);
  let verb: string | undefined;
  try {
    const line = parseCommandLine(argv, options.fixedDb);
    verb = line.verb;
    if (line.version) {
      io.out(`${versionLine(options.stockDir)}\n`);
      return ExitCodes.OK;
    }
    if (line.help) {
      io.out(verb !== undefined && isVerb(verb) ? verbUsage(prefix, verb) : help(prefix, options.fixedDb));
      return ExitCodes.OK;
    }
    const { dbName, args } = line;
    if (dbName === undefined || dbName === '') throw new UsageError('no database named');
    if (verb === undefined) throw new UsageError('no verb given');
    if (!isVerb(verb)) throw new UsageError(`unknown verb ${JSON.stringify(verb)}`);
    const { read, run } = VERBS[verb];
    let json = line.json;
    if (read && line.trailingJson) {
      json = true;
      args.pop();
    }
    const layout = resolveLayout({ env: options.env, root: line.root, stockDir: options.stockDir });
    // a database under the root's db directory needs it; an absolute legacy path (a name or DBPATH starting with /) does not
    if (!(layout.dbPath ?? dbName).startsWith('/')) requireRoot(layout.root, layout.dbDir);
    // SME's own warnings as they are; ours as `db: warning: …`, like the verbs' warnings
    const warn = (text: string) => io.err(text.startsWith('warning: ') ? `${program}: ${text}\n` : `${text}\n`);
    // layers (docs/fleet.md) are loaded only when asked for: a plain `db getprop` loads none of it
    const db =
      layout.layers !== undefined || line.layer !== undefined
        ? await (await import('../layers.ts')).openServerDatabase(layout, line.layer, dbName, warn)
        : await openDatabase(layout, dbName, warn);
    try {
      return await run({ db, args, json, io, program });
    } finally {
      await db.backend.close();
    }
  } catch (error) {
    const status = reportError(program, error, io);
    if (isToolError(error) && error.code === 'E_USAGE') {
      io.err(verb !== undefined && isVerb(verb) ? verbUsage(prefix, verb) : generalUsage(prefix));
    }
    return status;
  }
}
