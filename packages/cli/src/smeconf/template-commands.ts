import { ConfigDb } from '@smeconf/db';
import { READS_DB, loadReads, targetsReading } from '@smeconf/templates';
import type { Read } from '@smeconf/templates';
import type { CommandContext, SmeconfCommand } from './command.ts';
import { layoutOf, withBackend } from './command-layout.ts';
import { TEMPLATES_LS } from './templates-ls.ts';

function withReads<T>(args: Record<string, unknown>, context: CommandContext, fn: (db: ConfigDb) => Promise<T>): Promise<T> {
  return withBackend(layoutOf(args, context), (line) => context.io.err(`${line}\n`), (backend) => fn(new ConfigDb(backend, READS_DB)));
}

/** `configuration modSSL TCPPort`; `(type)` for a record's type, `*` for a whole database. */
function readLine(read: Read): string {
  return `${read.db} ${read.key ?? '*'} ${read.key === null ? '' : (read.prop ?? '(type)')}`.trimEnd() + '\n';
}

export const TEMPLATE_COMMANDS: readonly SmeconfCommand[] = [
  {
    command: 'deps <path>',
    describe: 'what the last expansion of PATH read: one "db key prop" per line',
    builder: (y) => y.positional('path', { type: 'string' }),
    task: (args, context) => () =>
      withReads(args, context, async (db) => {
        const reads = await loadReads(db, String(args['path']));
        if (reads === undefined) return 1;
        context.io.out(reads.map(readLine).join(''));
        return 0;
      }),
  },
  {
    command: 'rdeps <db> <key> [prop]',
    describe: 'the template paths whose last expansion read DB KEY [PROP]',
    builder: (y) => y.positional('db', { type: 'string' }).positional('key', { type: 'string' }).positional('prop', { type: 'string' }),
    task: (args, context) => () =>
      withReads(args, context, async (db) => {
        const prop = args['prop'] as string | undefined;
        const paths = await targetsReading(db, String(args['db']), String(args['key']), prop);
        context.io.out(paths.map((path) => `${path}\n`).join(''));
        return paths.length === 0 ? 1 : 0;
      }),
  },
  TEMPLATES_LS,
];
