import yargs from 'yargs';
import type { Io } from '../io.ts';
import { reportError } from '../report-error.ts';
import { requireRoot, rootOf } from '../layout.ts';
import { versionLine } from '../version.ts';
import { completionCommand } from './completion.ts';
import { parseWith } from '../parse-with.ts';
import { ExitCodes } from '../exit-codes.ts';
import { DB_COMMANDS } from './db-commands.ts';
import { TEMPLATE_COMMANDS } from './template-commands.ts';
import { WATCH_COMMAND } from './watch-command.ts';
import { AGENT_COMMAND } from './agent-command.ts';
import { FLEET_COMMAND } from './fleet-command.ts';
import { LETSENCRYPT_COMMAND } from './letsencrypt-command.ts';
import { CERT_COMMAND } from './cert-command.ts';
import { SERVE_COMMAND } from './serve-command.ts';
import type { CommandContext, SmeconfCommand, SmeconfMainOptions, Task } from './command.ts';

export type { SmeconfMainOptions } from './command.ts';

const COMMANDS: readonly SmeconfCommand[] = [...DB_COMMANDS, ...TEMPLATE_COMMANDS, WATCH_COMMAND, AGENT_COMMAND, FLEET_COMMAND, LETSENCRYPT_COMMAND, CERT_COMMAND, SERVE_COMMAND];
const ALL_COMMANDS: readonly SmeconfCommand[] = [...COMMANDS, completionCommand(() => ALL_COMMANDS)];

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
  for (const command of ALL_COMMANDS) {
    parser = parser.command(command.command, command.describe, command.builder, (args) => {
      const run = command.task(args, context);
      const root = rootOf({ env: options.env, root: args['root'] as string | undefined });
      task =
        command.rootless === true
          ? run
          : () => {
              requireRoot(root);
              return run();
            };
    });
  }
  const parsed = parseWith(parser, argv, io, 'smeconf', () => versionLine(options.stockDir));
  if (typeof parsed === 'number') return parsed;
  if (task === undefined) return ExitCodes.OK;
  try {
    return await task();
  } catch (error) {
    return reportError('smeconf', error, io);
  }
}
