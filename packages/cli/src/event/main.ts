import { UsageError } from '@smeconf/errors';
import { listEvents } from '@smeconf/events';
import type { Env, Io } from '../io.ts';
import { requireRoot, resolveLayout } from '../layout.ts';
import { openBackend } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { ExitCodes } from '../exit-codes.ts';
import { eventRuntime } from './runtime.ts';
import { signal } from './signal.ts';
import { HELP, USAGE } from './usage.ts';
import { versionLine } from '../version.ts';

export interface EventMainOptions {
  readonly env: Env;
  readonly stockDir: string;
  /** stderr is a terminal: progress is shown there as handlers end (otherwise only a failure is reported). */
  readonly live?: boolean;
}

/** `signal-event [--dry-run] [--json] EVENT [ARGS…]`, `--list`, `--help`, `--version`. */
export async function eventMain(argv: readonly string[], io: Io, options: EventMainOptions): Promise<number> {
  const flags = { dryRun: false, json: false, list: false, root: undefined as string | undefined };
  let i = 0;
  try {
    for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
      const arg = argv[i]!;
      if (arg === '--') {
        i++;
        break;
      }
      if (arg === '--help' || arg === '-h') {
        io.out(HELP);
        return ExitCodes.OK;
      }
      if (arg === '--version') {
        io.out(`${versionLine(options.stockDir)}\n`);
        return ExitCodes.OK;
      }
      if (arg === '--dry-run') flags.dryRun = true;
      else if (arg === '--json') flags.json = true;
      else if (arg === '--list') flags.list = true;
      else if (arg === '--root') flags.root = argv[++i];
      else if (arg.startsWith('--root=')) flags.root = arg.slice('--root='.length);
      else throw new UsageError(`unknown option ${arg}`);
    }
    const [event, ...args] = argv.slice(i);
    if (!flags.list && event === undefined) throw new UsageError('no event named');
    const layout = resolveLayout({ env: options.env, root: flags.root, stockDir: options.stockDir });
    // a mistyped root is refused; an empty one is a fresh server (bootstrap-console-save fills it)
    requireRoot(layout.root);
    if (flags.list) {
      io.out(listEvents(layout.eventDirs).map((name) => `${name}\n`).join(''));
      return ExitCodes.OK;
    }
    const warn = (line: string) => io.err(`signal-event: ${line}\n`);
    const backend = await openBackend(layout, warn);
    try {
      const runtime = eventRuntime(layout, options.env, options.stockDir, backend);
      return await signal(event!, args, runtime, backend, io, { dryRun: flags.dryRun, json: flags.json, live: options.live === true });
    } finally {
      await backend.close();
    }
  } catch (error) {
    const status = reportError('signal-event', error, io);
    if (error instanceof UsageError) io.err(USAGE);
    return status;
  }
}
