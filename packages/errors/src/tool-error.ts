import type { ErrorCode } from './codes.ts';

export interface ToolErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * Marks a ToolError whichever copy of this package made it: an event action
 * importing a workspace package (`@smeconf/db`, `@smeconf/cli/letsencrypt`)
 * loads its built files beside the bins' bundle, so `instanceof` alone would
 * lose the error's code.
 */
const BRAND = Symbol.for('smeconf.ToolError');

/** The one base class of every error smeconf reports to a user. */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Errors of the configuration database (callers branch on these). */
export class DbError extends ToolError {}

/** A usage error: wrong arguments to a command. */
export class UsageError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super('E_USAGE', message, options);
  }
}

/**
 * A bug in smeconf itself rather than bad input: thrown where an invariant
 * breaks, and what the CLI's error boundary makes of anything that is not a
 * ToolError (see toToolError). Users see one line asking for a report.
 */
export class InternalError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super('E_INTERNAL', message, options);
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError || (error instanceof Error && (error as unknown as Record<symbol, unknown>)[BRAND] === true);
}

/** A ToolError as it is; anything else thrown is a bug: an InternalError keeping it as `cause`. */
export function toToolError(error: unknown): ToolError {
  if (isToolError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { cause: error });
}
