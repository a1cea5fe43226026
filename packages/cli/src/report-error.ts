import { toToolError } from '@smeconf/errors';
import type { ToolError } from '@smeconf/errors';
import { exitCodeFor } from './exit-codes.ts';
import type { Io } from './io.ts';

/**
 * The one error boundary of every command: one line `prog: message [E_CODE]`
 * and the code's exit status, never a stack. Anything that is not a
 * ToolError is a bug (E_INTERNAL): the line asks for a report. With
 * SMECONF_DEBUG=1 (io.debug) the stack and its causes follow the line.
 */
export function reportError(program: string, error: unknown, io: Io): number {
  const reported = toToolError(error);
  const message = oneLine(reported.message);
  if (reported.code === 'E_INTERNAL') {
    io.err(`${program}: internal error: ${message}; this is a bug in smeconf, please report it with the output of the same command run with SMECONF_DEBUG=1 [E_INTERNAL]\n`);
  } else {
    io.err(`${program}: ${message} [${reported.code}]\n`);
  }
  if (io.debug === true) io.err(stacks(reported));
  return exitCodeFor(reported.code);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The error's stack, then each cause's (an InternalError's cause holds the real one). */
function stacks(error: ToolError): string {
  let text = '';
  for (let at: unknown = error, depth = 0; at !== undefined && depth < 8; depth++) {
    text += `${depth === 0 ? '' : 'caused by: '}${at instanceof Error ? (at.stack ?? at.message) : JSON.stringify(at)}\n`;
    at = at instanceof Error ? at.cause : undefined;
  }
  return text;
}
