import { UsageError, isToolError } from '@smeconf/errors';
import type { Env, Io } from '../io.ts';
import { resolveLayout } from '../layout.ts';
import { openDatabase } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { ExitCodes } from '../exit-codes.ts';
import { generalUsage, help, isVerb, verbUsage } from './usage.ts';
import { VERBS } from './verbs.ts';

export interface DbMainOptions {
  readonly env: Env;
  readonly stockDir: string;
  /** `config` is `db configuration`. */
  readonly fixedDb?: string;
  readonly program?: string;
}

interface Options {
  root?: string;
  json: boolean;
  help: boolean;
}

/**
 * `db [--root DIR] [--json] DBNAME VERB ARGS…`. Arguments are parsed by
 * hand, as SME's `db` does, so that the hot path loads nothing heavy.
 */
export async function dbMain(argv: readonly string[], io: Io, options: DbMainOptions): Promise<number> {
  const program = options.program ?? 'db';
  let verb: string | undefined;
  try {
    // Options may stand before DBNAME and between DBNAME and VERB.
    const parsed: Options = { json: false, help: false };
    let i = parseOptions(argv, 0, parsed);
    const dbName = options.fixedDb ?? argv[i++];
    i = parseOptions(argv, i, parsed);
    if (parsed.help) {
      io.out(help(program));
      return ExitCodes.OK;
    }
    const [verbName, ...args] = argv.slice(i);
    verb = verbName;
    if (dbName === undefined || dbName === '') throw new UsageError('no database named');
    if (verbName === undefined) throw new UsageError('no verb given');
    if (!isVerb(verbName)) throw new UsageError(`unknown verb ${JSON.stringify(verbName)}`);
    const { read, run } = VERBS[verbName];
    let json = parsed.json;
    if (read && args.at(-1) === '--json') {
      json = true;
      args.pop();
    }
    const layout = resolveLayout({ env: options.env, root: parsed.root, stockDir: options.stockDir });
    // SME's own warnings as they are; ours as `db: warning: …`, like the verbs' warnings
    const warn = (line: string) => io.err(line.startsWith('warning: ') ? `${program}: ${line}\n` : `${line}\n`);
    const db = await openDatabase(layout, dbName, warn);
    try {
      return await run({ db, args, json, io, program });
    } finally {
      await db.backend.close();
    }
  } catch (error) {
    const status = reportError(program, error, io);
    if (isToolError(error) && error.code === 'E_USAGE') {
      io.err(verb !== undefined && isVerb(verb) ? verbUsage(program, verb) : generalUsage(program));
    }
    return status;
  }
}

/** Reads options from argv[start] on into `into`; returns the index after them. */
function parseOptions(argv: readonly string[], start: number, into: Options): number {
  let i = start;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return i + 1;
    if (!arg.startsWith('-')) break;
    if (arg === '--help' || arg === '-h') into.help = true;
    else if (arg === '--json') into.json = true;
    else if (arg === '--root') into.root = argv[++i] ?? missingValue('--root');
    else if (arg.startsWith('--root=')) into.root = arg.slice('--root='.length);
    else throw new UsageError(`unknown option ${arg}`);
  }
  return i;
}

function missingValue(option: string): never {
  throw new UsageError(`${option} needs a value`);
}
