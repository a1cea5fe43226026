import yargs from 'yargs';
import type { Argv } from 'yargs';
import { UsageError } from '@smeconf/errors';
import type { Env, Io } from '../io.ts';
import { reportError } from '../report-error.ts';
import { ExitCodes } from '../exit-codes.ts';
import { DB_COMMANDS } from './db-commands.ts';

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
  builder(y: Argv): Argv;
  task(args: Record<string, unknown>, context: CommandContext): Task;
}

const COMMANDS: readonly SmeconfCommand[] = [...DB_COMMANDS];

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
    .demandCommand(1, 'name a command')
    .strict()
    .help()
    .version(false)
    .exitProcess(false);
  for (const command of COMMANDS) {
    parser = parser.command(command.command, command.describe, command.builder, (args) => {
      task = command.task(args, context);
    });
  }
  let failure: Error | undefined;
  let output = '';
  parser.parseSync([...argv], {}, (error, _args, text) => {
    failure = error ?? undefined;
    output = text;
  });
  if (failure !== undefined) {
    io.err(output.endsWith('\n') || output === '' ? output : `${output}\n`);
    return reportError('smeconf', new UsageError(failure.message), io);
  }
  if (task === undefined) {
    io.out(output.endsWith('\n') || output === '' ? output : `${output}\n`);
    return ExitCodes.OK;
  }
  try {
    return await task();
  } catch (error) {
    return reportError('smeconf', error, io);
  }
}
