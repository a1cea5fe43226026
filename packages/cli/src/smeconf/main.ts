import yargs from 'yargs';
import type { Argv } from 'yargs';
import type { Env, Io } from '../io.ts';
import { reportError } from '../report-error.ts';
import { parseWith } from '../parse-with.ts';
import { ExitCodes } from '../exit-codes.ts';
import { DB_COMMANDS } from './db-commands.ts';
import { TEMPLATE_COMMANDS } from './template-commands.ts';
import { WATCH_COMMAND } from './watch-command.ts';

export interface SmeconfMainOptions {
  readonly env: Env;
  readonly stockDir: string;
}

export interface CommandContext extends SmeconfMainOptions {
  readonly io: Io;
}

/** What a command's handler hands back: the work, run after parsing. */
export type Task = () => Promise<number>;

/** A yargs command module whose handler returns the task to run. */
export interface SmeconfCommand {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  readonly task: (args: Record<string, unknown>, context: CommandContext) => Task;
}

const COMMANDS: readonly SmeconfCommand[] = [...DB_COMMANDS, ...TEMPLATE_COMMANDS, WATCH_COMMAND];

/**
 * `smeconf <command>`: the commands beyond SME's own tools. yargs only
 * parses and picks the task; the task runs afterwards, so that its errors
 * reach our one error boundary and never yargs' help-on-failure.
 */
export async function smeconfMain(argv: readonly string[], io: Io, options: SmeconfMainOptions): Promise<number> {
  const context: CommandContext = { ...options, io };
  let task: Task | undefined;
  let parser = yargs()
    .scriptName('smeconf')
    .option('root', { type: 'string', describe: 'relocate every SME path under DIR (default: $SMECONF_ROOT or /)' })
    .demandCommand(1, 'name a command');
  for (const command of COMMANDS) {
    parser = parser.command(command.command, command.describe, command.builder, (args) => {
      task = command.task(args, context);
    });
  }
  const parsed = parseWith(parser, argv, io, 'smeconf');
  if (typeof parsed === 'number') return parsed;
  if (task === undefined) return ExitCodes.OK;
  try {
    return await task();
  } catch (error) {
    return reportError('smeconf', error, io);
  }
}
