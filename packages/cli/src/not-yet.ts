import { ToolError } from '@smeconf/errors';
import type { Io } from './io.ts';
import { reportError } from './report-error.ts';

/** The bins whose capability has not landed yet say so, loudly. */
export function notYet(program: string, issue: number, io: Io): number {
  return reportError(program, new ToolError('E_NOT_IMPLEMENTED', `not yet implemented (planned in issue #${issue})`), io);
}
