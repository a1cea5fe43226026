import { startWatch } from '@smeconf/watch';
import type { WatchOptions, WatchReport } from '@smeconf/watch';
import type { Backend } from '@smeconf/db';
import { commandEnv } from '../command-env.ts';
import { templateData } from '../layout.ts';
import type { Layout } from '../layout.ts';
import type { Env } from '../io.ts';
import { signalForWatch } from '../event/signal.ts';
import { openBackend } from '../open-db.ts';
import type { CommandContext, SmeconfCommand } from './command.ts';
import { layoutOf } from './command-layout.ts';

/** What startWatch needs of a root and its backend, as `smeconf watch` and the agent (on its local copy) both run it. */
export function watchOptionsFor(layout: Layout, env: Env, stockDir: string, backend: Backend, args: Record<string, unknown>): Omit<WatchOptions, 'report' | 'dryRun'> {
  return {
    root: layout.root,
    queue: layout.queue,
    eventDirs: layout.eventDirs,
    dbDir: layout.dbDir,
    backend,
    paths: ((args['paths'] as string[] | undefined) ?? []).map(String),
    extraData: templateData(layout, stockDir),
    compileCacheDir: layout.compileCacheDir,
    checkEnv: commandEnv(layout, env, stockDir),
  };
}

/** `smeconf watch [PATH…]`: live mode until SIGINT or SIGTERM (then exit 0). */
export const WATCH_COMMAND: SmeconfCommand = {
  command: 'watch [paths..]',
  describe: 'keep generated files in step with fragments, metadata and the database',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'template paths (default: every target of the trees and events)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'print diffs, write nothing' })
      .option('json', { type: 'boolean', default: false, describe: 'NDJSON on stdout' })
      .option('event', { type: 'string', describe: 'signal this event once per burst instead of writing files' }),
  task: (args, context) => async () => {
    const layout = layoutOf(args, context);
    const backend = await openBackend(layout, (line) => context.io.err(`${line}\n`));
    const event = args['event'] as string | undefined;
    const watching = await startWatch({
      ...watchOptionsFor(layout, context.env, context.stockDir, backend, args),
      dryRun: args['dry-run'] === true,
      report: reporter(context, args['json'] === true),
      // the event in process, as signal-event runs it (its runtime, on this backend)
      ...(event !== undefined && { signalEvent: () => signalForWatch(event, layout, context.env, context.stockDir, backend, context.io.debug) }),
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await watching.close();
    await backend.close();
    return 0;
  },
};

export function reporter(context: CommandContext, json: boolean): (report: WatchReport) => void {
  return (report) => {
    if (json) return context.io.out(JSON.stringify(report) + '\n');
    switch (report.type) {
      case 'ready':
        return context.io.out(`watching ${report.targets} target${report.targets === 1 ? '' : 's'} (ready in ${report.ms} ms)\n`);
      case 'written':
      case 'would-write':
        return context.io.out(`${report.type === 'written' ? 'updated' : 'would update'} ${report.path}${report.check ? ' (check passed)' : ''}\n${report.diff}`);
      case 'warning':
        return context.io.err(`smeconf watch: ${report.message}\n`);
      case 'failed':
        return context.io.err(`${report.problems.join('\n')}\nkept the last good ${report.path}\n`);
      case 'event':
        return context.io.out(report.output);
    }
  };
}
