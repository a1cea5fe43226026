import { ToolError, UsageError } from '@smeconf/errors';
import { listEvents, runEvent } from '@smeconf/events';
import type { EventResult, Progress } from '@smeconf/events';
import type { Env, Io } from '../io.ts';
import { resolveLayout } from '../layout.ts';
import { openBackend } from '../open-db.ts';
import { reportError } from '../report-error.ts';
import { ExitCodes } from '../exit-codes.ts';
import { eventRuntime } from './runtime.ts';

export interface EventMainOptions {
  readonly env: Env;
  readonly stockDir: string;
}

const USAGE = 'usage: signal-event [--dry-run] [--json] [--root DIR] EVENT [ARGS...]\n       signal-event --list\n';

/** `signal-event [--dry-run] [--json] EVENT [ARGS…]` and `signal-event --list`. */
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
        io.out(USAGE);
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
    const warn = (line: string) => io.err(`signal-event: ${line}\n`);
    const backend = await openBackend(layout, warn);
    try {
      const runtime = eventRuntime(layout, options.env, options.stockDir, backend);
      if (flags.list) {
        io.out(listEvents(runtime.eventDirs).map((name) => `${name}\n`).join(''));
        return ExitCodes.OK;
      }
      const onProgress = flags.json ? (p: Progress) => io.out(JSON.stringify(p) + '\n') : textProgress(io, flags.dryRun);
      // a damaged database stops the event before any handler runs (E_DB_CORRUPT)
      await backend.check?.();
      const result = await runEvent(event!, args, runtime, { dryRun: flags.dryRun, onProgress, warn });
      if (flags.json) io.out(JSON.stringify({ type: 'result', ...result }) + '\n');
      else io.out(summary(result));
      if (result.ok) return ExitCodes.OK;
      // each failed handler's output, ending `where: message [E_CODE]`, came with its progress
      const failed = result.handlers.filter((h) => h.status === 'failed').map((h) => h.name);
      return reportError('signal-event', new ToolError('E_EVT_ACTION_FAILED', `event ${result.event} failed: ${failed.join(', ')}`), io);
    } finally {
      await backend.close();
    }
  } catch (error) {
    const status = reportError('signal-event', error, io);
    if (error instanceof UsageError) io.err(USAGE);
    return status;
  }
}

/** One line per handler as it ends; a failing (or, in a dry run, any) handler's output indented below it. */
function textProgress(io: Io, dryRun: boolean): (p: Progress) => void {
  return (p) => {
    if (p.type !== 'end') return;
    io.out(`${p.name.padEnd(32)} ${p.status.padEnd(7)} ${String(p.ms).padStart(5)} ms\n`);
    if (p.output !== '' && (p.status === 'failed' || dryRun)) {
      (p.status === 'failed' ? io.err : io.out)(p.output.replace(/^/gm, '    ').replace(/ +$/, ''));
    }
  };
}

function summary(result: EventResult): string {
  const failed = result.handlers.filter((h) => h.status === 'failed').map((h) => h.name);
  const what = result.dryRun ? 'dry run of event' : 'event';
  const verdict = failed.length === 0 ? 'ok' : `FAILED (${failed.join(', ')})`;
  return `${what} ${result.event}: ${result.handlers.length} handler${result.handlers.length === 1 ? '' : 's'}, ${verdict}, ${result.ms} ms\n`;
}
