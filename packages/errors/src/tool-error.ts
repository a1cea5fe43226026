import type { ErrorCode } from './codes.ts';

export interface ToolErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one base class of every error smeconf reports to a user. */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
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

/** A bug in smeconf itself rather than bad input. */
export class InternalError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super('E_INTERNAL', message, options);
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof ToolError;
}
