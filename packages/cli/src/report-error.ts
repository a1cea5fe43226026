import { isToolError } from '@smeconf/errors';
import { ExitCodes, exitCodeFor } from './exit-codes.ts';
import type { Io } from './io.ts';

/**
 * The one error boundary of every command: a ToolError becomes one line
 * `prog: message [E_CODE]` and its exit status; anything else is a bug.
 */
export function reportError(program: string, error: unknown, io: Io): number {
  if (isToolError(error) && error.code !== 'E_INTERNAL') {
    io.err(`${program}: ${error.message} [${error.code}]\n`);
    return exitCodeFor(error.code);
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`${program}: internal error [E_INTERNAL]; please report this with the output below\n${detail}\n`);
  return ExitCodes.INTERNAL;
}
